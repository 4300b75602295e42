import CZeroMQ
import Glibc

/// Starts a detached POSIX thread running `body`.
///
/// libzmq sockets must stay on one thread, and their calls block; neither fits Swift's
/// cooperative thread pool, so every socket that Swift concurrency uses gets a thread of its own.
func startOwnerThread(name: String, _ body: @escaping @Sendable () -> Void) throws(ZeroMQError) {
    final class Box {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
    let box = Unmanaged.passRetained(Box(name: name, body: body))
    var thread = pthread_t()
    let rc = pthread_create(
        &thread,
        nil,
        { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            czmq_name_current_thread(box.name)
            box.body()
            return nil
        },
        box.toOpaque()
    )
    guard rc == 0 else {
        box.release()
        throw ZeroMQError(libzmqErrno: rc, operation: "pthread_create(\(name))")
    }
    pthread_detach(thread)
}

/// An eventfd that other threads write to wake an owner thread sleeping in `zmq_poll`.
final class WakeUpSignal: Sendable {
    let fileDescriptor: Int32

    init() throws(ZeroMQError) {
        let descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard descriptor >= 0 else { throw ZeroMQError(libzmqErrno: errno, operation: "eventfd") }
        fileDescriptor = descriptor
    }

    /// Wakes the sleeper (or makes its next sleep return at once).
    func signal() {
        var one: UInt64 = 1
        // Cannot fail short of counter overflow (2^64 - 1 signals without a reset).
        _ = write(fileDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Clears pending signals; called by the owner after it woke.
    func reset() {
        var count: UInt64 = 0
        // EAGAIN when nothing was signalled is fine: there was nothing to clear.
        _ = read(fileDescriptor, &count, MemoryLayout<UInt64>.size)
    }

    deinit {
        Glibc.close(fileDescriptor)
    }
}
