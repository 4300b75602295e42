import Messages
import Synchronization
import ZeroMQ

/// The relay's XPUB socket to the bus and how far it has sent, shared by two threads in turn:
/// the one that just committed, which sends a small commit at once, and the relay's own task,
/// which sends everything else (a backlog, large commits, heartbeats).
///
/// Sending from the committing thread takes two thread hand-offs (waking the relay's task, then the
/// socket's thread) off every event's way to the bus; on a machine with few cores each is a chance
/// to wait behind busy threads. A large commit is still left to the relay's task, so that the next
/// transaction runs while it is sent.
///
/// Every call on the socket is non-blocking (`dontWait`), so neither side holds the lock for long.
final class RelayLink: Sendable {
    /// Most rows the committing thread sends itself: at a microsecond or two a send, the writer
    /// pauses well under 0.1 ms for them.
    static let directLimit = 64

    private struct State {
        /// Set while the relay runs and has heard the bus's subscriptions (or waited long enough).
        var socket: LockedSocket?
        var relay: RelayState?
        /// Committed, not sent yet, in commit order; emptied past capacity (the relay then reads
        /// the outbox), so a stalled bus never grows memory.
        var pending: [OutboxRow] = []
        var sentDirectly = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// Takes rows just committed, in commit order: sends them at once when they are few and next
    /// in line, else keeps them for the relay. Returns whether the relay's task must run.
    func committed(_ rows: [OutboxRow]) -> Bool {
        guard !rows.isEmpty else { return false }
        return state.withLock { state in
            if rows.count <= Self.directLimit, state.pending.isEmpty, let socket = state.socket,
                let before = state.relay?.cursor, rows[0].position == before + 1
            {
                // Taken out while it changes, so that its table of streams is not copied.
                var relay = state.relay.take()!
                // A failure leaves the rest to the relay's task, which reports it and retries.
                try? socket.withSocket { try Self.send(rows, on: $0, advancing: &relay) }
                state.sentDirectly += Int(relay.cursor - before)
                state.pending = Array(rows.drop { $0.position <= relay.cursor })
                state.relay = relay
                return !state.pending.isEmpty
            }
            if state.pending.count + rows.count > capacity {
                state.pending = []  // The relay notices the hole and reads the outbox.
            } else {
                state.pending.append(contentsOf: rows)
            }
            return true
        }
    }

    /// Starts sharing `socket`, from `relay`'s position on.
    func open(_ socket: LockedSocket, from relay: RelayState) {
        state.withLock { state in
            state.socket = socket
            state.relay = relay
        }
    }

    /// Stops sharing the socket and closes it (its linger lets what is queued leave); commits
    /// after this wait in the outbox for the next start.
    func close() {
        state.withLock { state in
            state.socket?.close()
            state.socket = nil
            state.relay = nil
        }
    }

    /// Takes the rows committed since the relay's task last looked, when they follow on from
    /// where the relay is; `nil` tells the relay to read the outbox instead. That is the case
    /// when none are waiting too, because the outbox may hold rows the link never saw: a backlog
    /// from before this process, or rows dropped past `capacity`.
    func takePending() -> [OutboxRow]? {
        state.withLock { state in
            let cursor = state.relay?.cursor ?? 0
            let rows = state.pending.drop { $0.position <= cursor }
            state.pending = []
            guard state.relay != nil, let first = rows.first, first.position == cursor + 1 else { return nil }
            return Array(rows)
        }
    }

    /// Sends those of `rows` that follow on from where the relay is, in order; returns how many.
    func send(_ rows: some Collection<OutboxRow>) throws -> Int {
        try state.withLock { state in
            guard let socket = state.socket, var relay = state.relay.take() else { return 0 }
            let before = relay.cursor
            defer { state.relay = relay }
            try socket.withSocket { try Self.send(rows, on: $0, advancing: &relay) }
            return Int(relay.cursor - before)
        }
    }

    /// Whether the relay opened the link: commits from now on are sent as they commit.
    var isOpen: Bool {
        state.withLock { $0.socket != nil && $0.relay != nil }
    }

    /// Where the relay is; `nil` before it started.
    var position: RelayState? {
        state.withLock { $0.relay }
    }

    /// Rows sent by committing threads since the last call, for the relay's count.
    func takeSentDirectly() -> Int {
        state.withLock { state in
            defer { state.sentDirectly = 0 }
            return state.sentDirectly
        }
    }

    /// Sends the rows that follow on from `relay`'s cursor, in order, until the socket refuses one.
    private static func send(
        _ rows: some Collection<OutboxRow>,
        on socket: Socket,
        advancing relay: inout RelayState
    ) throws(ZeroMQError) {
        for row in rows where row.position > relay.cursor {
            guard row.position == relay.cursor + 1, try socket.send(row.message, dontWait: true) else { return }
            relay.sent[row.stream] = row.seq
            relay.cursor = row.position
        }
    }
}
