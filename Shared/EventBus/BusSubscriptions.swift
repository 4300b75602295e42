import Synchronization
import ZeroMQ

/// What the relay hears back from the bus: the consumers' subscriptions, which each proxy passes
/// to every publisher that connects.
///
/// ZeroMQ filters by subscription at the sending end, and a publisher that does not know a
/// subscription yet drops what it sends. A relay that starts with a backlog (after a restart, say)
/// would send it into the void within the first millisecond, and every consumer would then find a
/// gap, wait for a heartbeat to learn where to replay from, and replay. So the relay listens on an
/// XPUB socket, which hands it the subscriptions, and holds its first send until one arrived.
final class BusSubscriptions: Sendable {
    private let heard = Atomic(false)

    /// Whether any proxy has passed on a subscription yet.
    var anyHeard: Bool { heard.load(ordering: .relaxed) }

    /// Reads the subscription messages of the relay's XPUB `socket` until the socket closes or the
    /// task is cancelled, ringing `bell` at the first one. Reading them also keeps them from piling
    /// up in the socket.
    func follow(_ socket: AsyncSocket, ringing bell: Doorbell) async {
        do {
            // An XPUB hands over one frame per change: 1 then the topic prefix to subscribe, 0 to leave.
            for try await message in socket.messages where message.frames.first?.first == 1 {
                if !heard.exchange(true, ordering: .relaxed) { bell.ring() }
            }
        } catch {
            // Cancelled, or the socket failed: the relay is stopping.
        }
    }
}
