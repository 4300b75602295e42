import Synchronization

/// Outbox rows handed from a committing transaction to the relay, in commit order and bounded:
/// past `capacity` the feed empties itself and the relay reads the outbox instead, so a stalled
/// bus never grows memory.
final class RelayFeed: Sendable {
    private struct State {
        var rows: [OutboxRow] = []
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// Adds rows just committed.
    func append(_ rows: [OutboxRow]) {
        state.withLock { state in
            if state.rows.count + rows.count > capacity {
                state.rows = []  // The relay notices the hole and reads the outbox.
            } else {
                state.rows.append(contentsOf: rows)
            }
        }
    }

    /// Takes every row fed so far.
    func take() -> [OutboxRow] {
        state.withLock { state in
            defer { state.rows = [] }
            return state.rows
        }
    }
}
