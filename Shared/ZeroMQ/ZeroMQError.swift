import CZeroMQ

/// Every failure the binding reports: a libzmq error (with its errno and libzmq's own message) or
/// a rule of the binding itself (a message over the receive limits, a closed socket, bad input).
///
/// A struct with a ``Code`` rather than an enum, so that new codes do not break callers' switches.
public struct ZeroMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// libzmq returned an error; ``ZeroMQError/errno`` and ``ZeroMQError/message`` say which.
        public static let libzmq = Code(name: "libzmq")
        /// A received message had more frames than the socket's ``ReceiveLimits`` allow; it was drained.
        public static let tooManyFrames = Code(name: "tooManyFrames")
        /// A received message had more bytes than the socket's ``ReceiveLimits`` allow; it was drained.
        public static let messageTooLarge = Code(name: "messageTooLarge")
        /// The socket was closed (or is closing) before the operation could complete.
        public static let socketClosed = Code(name: "socketClosed")
        /// Messages that were queued for sending could not be handed to libzmq before close.
        public static let unsentMessagesDiscarded = Code(name: "unsentMessagesDiscarded")
        /// An argument is invalid (a malformed key, an empty message, …); ``ZeroMQError/message`` says which.
        public static let invalidArgument = Code(name: "invalidArgument")
        /// Bytes from a peer did not have the expected shape (monitor events, proxy statistics, …).
        public static let malformedInput = Code(name: "malformedInput")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The errno libzmq reported, for ``Code/libzmq``; 0 otherwise.
    public let errno: Int32
    /// libzmq's own message (`zmq_strerror`) or the binding's explanation.
    public let message: String
    /// The operation that failed, e.g. `zmq_bind(tcp://*:5550)`.
    public let operation: String

    /// Creates an error of the binding's own kind.
    public init(_ code: Code, _ message: String, operation: String) {
        self.code = code
        self.errno = 0
        self.message = message
        self.operation = operation
    }

    /// Captures libzmq's current error for `operation`.
    static func last(_ operation: @autoclosure () -> String) -> ZeroMQError {
        let number = zmq_errno()
        return ZeroMQError(libzmqErrno: number, operation: operation())
    }

    init(libzmqErrno number: Int32, operation: String) {
        self.code = .libzmq
        self.errno = number
        self.message = String(cString: zmq_strerror(number))
        self.operation = operation
    }

    /// The context was terminated; every blocking call returns this afterwards.
    public var isContextTerminated: Bool { code == .libzmq && errno == ETERM }

    /// A ROUTER with `routerMandatory` could not route the message to its peer.
    public var isHostUnreachable: Bool { code == .libzmq && errno == EHOSTUNREACH }

    public var description: String {
        code == .libzmq
            ? "\(operation): \(message) (errno \(errno))"
            : "\(operation): \(message) [\(code)]"
    }
}

/// Calls a libzmq function that returns -1 on failure, retrying on `EINTR`.
///
/// Returns `nil` on `EAGAIN` ("would block"), which is not an error.
@inline(__always)
func retryingInterrupts(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(ZeroMQError) -> Int32? {
    while true {
        let rc = call()
        if rc >= 0 { return rc }
        let number = zmq_errno()
        if number == EINTR { continue }
        if number == EAGAIN { return nil }
        throw ZeroMQError(libzmqErrno: number, operation: operation())
    }
}

/// Calls a libzmq function that must not fail with `EAGAIN` (bind, setsockopt, …).
@inline(__always)
func check(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(ZeroMQError) {
    while true {
        if call() >= 0 { return }
        let number = zmq_errno()
        if number == EINTR { continue }
        throw ZeroMQError(libzmqErrno: number, operation: operation())
    }
}
