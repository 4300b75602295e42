import CZeroMQ

/// A libzmq context: the container for sockets and the I/O threads that serve them.
///
/// Every ``Socket`` keeps its context alive, so the context is terminated (`zmq_ctx_term`) only
/// after its last socket was closed. Because sockets are created with a finite linger, that
/// termination never waits for ever — the classic context-termination deadlock cannot happen.
public final class Context: @unchecked Sendable {
    // @unchecked: libzmq documents contexts as thread safe; `handle` is immutable after init.
    let handle: UnsafeMutableRawPointer

    /// Creates a context.
    /// - Parameter ioThreads: libzmq I/O threads; one handles about a gigabyte per second.
    public init(ioThreads: Int32 = 1) throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else { throw ZeroMQError.last("zmq_ctx_new") }
        self.handle = handle
        try check("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))") { zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) }
    }

    /// Makes every blocking call on this context's sockets return ``ZeroMQError/isContextTerminated``.
    ///
    /// Sockets still have to be closed; the context terminates once the last one is gone.
    public func shutdown() {
        // zmq_ctx_shutdown fails only for an invalid context, which `handle` cannot be.
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// The version of the libzmq library Huddle is linked against at run time.
public var libzmqVersion: (major: Int32, minor: Int32, patch: Int32) {
    var major: Int32 = 0
    var minor: Int32 = 0
    var patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return (major, minor, patch)
}
