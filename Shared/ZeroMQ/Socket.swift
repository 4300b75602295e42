import CZeroMQ

/// A libzmq socket, used by one thread at a time.
///
/// `Socket` is deliberately not `Sendable`: libzmq sockets are not thread safe, and Swift's
/// checking keeps a socket inside the isolation domain that created it. To use a socket from
/// Swift concurrency, use ``AsyncSocket``, whose owner thread holds the socket.
///
/// Sends copy from bytes the caller owns straight into libzmq (no intermediate buffers);
/// receives go through one `zmq_msg_t` owned by the socket at a stable address, so a frame can
/// be read in place with ``receiveFrame(dontWait:_:)``. Every socket gets a finite linger
/// (one second) when it is created, so closing never blocks for ever.
public final class Socket {
    /// The socket's type.
    public let type: SocketType
    /// Caps applied by ``receive(dontWait:)``.
    public var receiveLimits: ReceiveLimits

    let context: Context
    private(set) var handle: UnsafeMutableRawPointer?
    // Receive buffer at a stable address: libzmq keeps pointers into a zmq_msg_t, so it must
    // never live in Swift-managed memory that may move.
    let frame: UnsafeMutablePointer<zmq_msg_t>

    /// Creates a socket of `type` in `context`, with a one-second linger.
    public init(context: Context, type: SocketType, receiveLimits: ReceiveLimits = .default) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZeroMQError.last("zmq_socket(\(type))")
        }
        self.context = context
        self.type = type
        self.handle = handle
        self.receiveLimits = receiveLimits
        self.frame = .allocate(capacity: 1)
        zmq_msg_init(frame)
        do {
            try setOption(.linger, .milliseconds(1000))
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
        zmq_msg_close(frame)
        frame.deallocate()
    }

    /// Closes the socket; pending outgoing messages get the socket's linger time to leave.
    /// Closing twice is harmless.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        // zmq_close fails only for an invalid socket, which `handle` cannot be.
        _ = zmq_close(handle)
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    func open(_ operation: @autoclosure () -> String) throws(ZeroMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZeroMQError(.socketClosed, "the socket is closed", operation: operation()) }
        return handle
    }

    // MARK: - Endpoints

    /// Binds to `endpoint`, e.g. `tcp://*:5550`, `tcp://127.0.0.1:*` (an ephemeral port; read it
    /// back with ``lastEndpoint()``), `ipc:///run/huddle/bus` or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZeroMQError) {
        let handle = try open("zmq_bind(\(endpoint))")
        try check("zmq_bind(\(endpoint))") { zmq_bind(handle, endpoint) }
    }

    /// Connects to `endpoint`; libzmq connects (and reconnects) in the background.
    public func connect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try open("zmq_connect(\(endpoint))")
        try check("zmq_connect(\(endpoint))") { zmq_connect(handle, endpoint) }
    }

    /// Stops listening on an endpoint given to ``bind(_:)`` (use the resolved ``lastEndpoint()``
    /// for wildcard binds).
    public func unbind(_ endpoint: String) throws(ZeroMQError) {
        let handle = try open("zmq_unbind(\(endpoint))")
        try check("zmq_unbind(\(endpoint))") { zmq_unbind(handle, endpoint) }
    }

    /// Disconnects from an endpoint given to ``connect(_:)``.
    public func disconnect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try open("zmq_disconnect(\(endpoint))")
        try check("zmq_disconnect(\(endpoint))") { zmq_disconnect(handle, endpoint) }
    }

    /// The endpoint most recently bound or connected, with wildcards resolved
    /// (`tcp://127.0.0.1:41237`).
    public func lastEndpoint() throws(ZeroMQError) -> String {
        try option(.lastEndpoint)
    }

    // MARK: - Subscriptions

    /// Subscribes a SUB socket to messages whose first frame starts with `prefix` (empty: all).
    public func subscribe(_ prefix: some Collection<UInt8>) throws(ZeroMQError) {
        try setOption(.subscribe, Array(prefix))
    }

    /// Subscribes a SUB socket to messages whose first frame starts with `prefix`'s UTF-8 bytes.
    public func subscribe(_ prefix: String) throws(ZeroMQError) {
        try subscribe(prefix.utf8)
    }

    /// Removes one earlier subscription to `prefix`.
    public func unsubscribe(_ prefix: some Collection<UInt8>) throws(ZeroMQError) {
        try setOption(.unsubscribe, Array(prefix))
    }

    /// Removes one earlier subscription to `prefix`'s UTF-8 bytes.
    public func unsubscribe(_ prefix: String) throws(ZeroMQError) {
        try unsubscribe(prefix.utf8)
    }
}
