/// A ZeroMQ socket for Swift concurrency: an owner thread holds the libzmq socket and runs
/// `zmq_poll` over it plus a wake-up eventfd; callers send and receive through bounded queues.
///
/// - Sending: ``send(_:)`` queues a message and returns; when the send queue is full it
///   suspends until the owner thread has handed earlier messages to libzmq (back-pressure,
///   never a drop). ``flush()`` waits until everything queued so far is in libzmq's hands and
///   reports any failure (for example an unroutable message on a mandatory ROUTER).
/// - Receiving: the owner thread reads whenever the receive queue has room; when it is full
///   it stops reading, so libzmq's own high-water mark applies upstream.
/// - Closing: ``close(drainTimeout:)`` lets queued messages leave, closes the socket on its
///   thread, and finishes every waiter. A socket that is simply released closes itself the same way.
///
/// `AsyncSocket` is `Sendable`; the libzmq socket never leaves its owner thread.
public final class AsyncSocket: Sendable {
    /// Queue sizes and receive limits.
    public struct Configuration: Sendable {
        /// Most messages queued for sending before ``AsyncSocket/send(_:)`` suspends.
        public var sendQueueCapacity: Int
        /// Most received messages held before the owner thread stops reading.
        public var receiveQueueCapacity: Int
        /// Caps on each received message; over-limit messages are drained and counted.
        public var receiveLimits: ReceiveLimits
        /// Told about every over-limit message the owner thread drained (on the owner thread).
        public var onRejectedMessage: (@Sendable (ZeroMQError) -> Void)?

        /// Queues of 4,096 messages each and the default receive limits.
        public init(
            sendQueueCapacity: Int = 4096,
            receiveQueueCapacity: Int = 4096,
            receiveLimits: ReceiveLimits = .default,
            onRejectedMessage: (@Sendable (ZeroMQError) -> Void)? = nil
        ) {
            self.sendQueueCapacity = max(1, sendQueueCapacity)
            self.receiveQueueCapacity = max(1, receiveQueueCapacity)
            self.receiveLimits = receiveLimits
            self.onRejectedMessage = onRejectedMessage
        }
    }

    /// Counters since the socket was created.
    public struct Statistics: Sendable, Hashable {
        /// Messages handed to libzmq.
        public var sent: UInt64 = 0
        /// Messages libzmq refused with an error (reported through ``AsyncSocket/flush()``).
        public var sendFailures: UInt64 = 0
        /// Messages received and queued.
        public var received: UInt64 = 0
        /// Messages drained because they were over the receive limits.
        public var rejected: UInt64 = 0
    }

    /// The socket's type.
    public let type: SocketType
    let core: AsyncSocketCore

    /// Creates the socket on a new owner thread and runs `setUp` there (bind, connect, options)
    /// before returning; an error thrown by `setUp` closes the socket and is rethrown.
    public init(
        context: Context,
        type: SocketType,
        configuration: Configuration = Configuration(),
        setUp: @escaping @Sendable (Socket) throws -> Void = { _ in }
    ) async throws {
        self.type = type
        let core = try AsyncSocketCore(
            limits: .init(
                sendCapacity: configuration.sendQueueCapacity,
                receiveCapacity: configuration.receiveQueueCapacity
            )
        )
        self.core = core
        // Handed over rather than captured: the thread's closure lives until the thread ends, and
        // must not keep the context alive after the socket is gone (see the end of the closure).
        let handoff = LockedState<(context: Context, setUp: @Sendable (Socket) throws -> Void)?>((context, setUp))
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            do {
                try startOwnerThread(name: "zmq-\(type)") {
                    let finish: OwnerLoop.Resumptions
                    do {
                        let (context, setUp) = handoff.withLock { handed in
                            defer { handed = nil }
                            return handed!
                        }
                        let socket = try Socket(
                            context: context,
                            type: type,
                            receiveLimits: configuration.receiveLimits
                        )
                        try setUp(socket)
                        ready.resume()
                        finish = OwnerLoop(socket: socket, core: core, onRejected: configuration.onRejectedMessage)
                            .run()
                    } catch {
                        core.finishWithoutSocket(reason: error)
                        ready.resume(throwing: error)
                        return
                    }
                    // The socket is released by now, and with it this thread's hold on the context:
                    // when `close` returns, a caller that drops the context terminates it at once,
                    // which is what lets lingering messages leave before the process exits.
                    finish.run()
                }
            } catch {
                ready.resume(throwing: error)
            }
        }
    }

    deinit {
        core.requestClose()
    }

    /// Counters since the socket was created.
    public var statistics: Statistics {
        core.state.withLock { $0.statistics }
    }

    /// Runs `body` with the socket on its owner thread: bind, connect, subscribe, options, …
    public func perform<Result: Sendable>(_ body: @escaping @Sendable (Socket) throws -> Result) async throws -> Result
    {
        try await withCheckedThrowingContinuation { continuation in
            let command = AsyncSocketCore.Command(
                run: { socket in continuation.resume(with: Swift.Result { try body(socket) }) },
                cancel: { continuation.resume(throwing: $0) }
            )
            let outcome = core.state.withLock { state -> (refused: ZeroMQError?, wake: Bool) in
                if let reason = state.closedReason ?? (state.closeRequested ? Self.closing : nil) {
                    return (reason, false)
                }
                state.commands.append(command)
                return (nil, state.claimWakeUp())
            }
            if let refused = outcome.refused { continuation.resume(throwing: refused) }
            if outcome.wake { core.wakeUp.signal() }
        }
    }

    static let closing = ZeroMQError(.socketClosed, "the socket is closing", operation: "AsyncSocket")
}
