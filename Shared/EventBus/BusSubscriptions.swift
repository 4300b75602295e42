import ZeroMQ

/// What the relay hears back from the bus: the consumers' subscriptions, which each proxy passes
/// to every publisher that connects.
///
/// ZeroMQ filters by subscription at the sending end, and a publisher that does not know a
/// subscription yet drops what it sends. A relay that starts with a backlog (after a restart, say)
/// would send it into the void within the first millisecond, and every consumer would then find a
/// gap, wait for a heartbeat to learn where to replay from, and replay. So the relay listens on an
/// XPUB socket, which hands it the subscriptions, and holds its first send until one arrived.
struct BusSubscriptions {
    /// Whether any proxy has passed on a subscription yet.
    private(set) var anyHeard = false

    /// Reads the subscription messages waiting on the relay's XPUB `socket`, without waiting.
    /// Reading them also keeps them from piling up in the socket.
    mutating func read(from socket: Socket) throws(ZeroMQError) {
        while let message = try socket.receive(dontWait: true) {
            // An XPUB hands over one frame per change: 1 then the topic prefix to subscribe, 0 to leave.
            if message.frames.first?.first == 1 { anyHeard = true }
        }
    }
}
