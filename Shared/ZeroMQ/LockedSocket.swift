/// A socket that several threads use in turn, each call under a lock.
///
/// libzmq sockets are not thread safe, but one may move between threads when a full memory
/// barrier separates the uses; the lock is that barrier. This suits a socket that sends from
/// whichever thread has something ready (a relay sending from the thread that just committed)
/// without handing each message to another thread, as ``AsyncSocket`` does. Keep every call
/// non-blocking (`dontWait`): whoever holds the lock holds up everyone else.
public final class LockedSocket: Sendable {
    private let socket: LockedState<Socket>

    /// Creates a socket of `type` in `context` and lets `configure` set it up (options, binds,
    /// connects) before anyone else can use it.
    public init(context: Context, type: SocketType, configure: (Socket) throws -> Void) throws {
        let socket = try Socket(context: context, type: type)
        try configure(socket)
        self.socket = LockedState(socket)
    }

    /// Runs `body` with the socket, under the lock. The socket must not leave `body`.
    public func withSocket<Result>(_ body: (Socket) throws -> Result) rethrows -> Result {
        try socket.withLock { try body($0) }
    }

    /// Closes the socket; pending outgoing messages get its linger time to leave.
    public func close() {
        socket.withLock { $0.close() }
    }
}
