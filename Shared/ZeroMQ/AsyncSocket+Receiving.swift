extension AsyncSocket {
    /// The next received message; suspends until one arrives.
    ///
    /// Throws ``ZeroMQError/Code/socketClosed`` once the socket is closed and its queue is
    /// empty, and `CancellationError` if the task is cancelled while waiting.
    public func receive() async throws -> Message {
        try await receiveBatch(maxCount: 1)[0]
    }

    /// Between 1 and `maxCount` received messages, in order; suspends until at least one arrives.
    ///
    /// Taking messages in batches costs one lock per batch instead of one per message.
    public func receiveBatch(maxCount: Int) async throws -> [Message] {
        let maxCount = max(1, maxCount)
        if let queued = takeQueued(maxCount: maxCount) { return queued }
        return try await waitForMessages(maxCount: maxCount, deadline: nil)
    }

    /// Like ``receiveBatch(maxCount:)``, but returns an empty batch when nothing arrived within
    /// `timeout` (at once for `.zero`). Nothing is lost to the timeout: a batch taken as it
    /// expires is returned.
    ///
    /// The owner thread keeps the deadline (its poll sleeps no longer than the earliest one), so
    /// waiting costs no timer and no extra task.
    public func receiveBatch(maxCount: Int, timeout: Duration) async throws -> [Message] {
        let maxCount = max(1, maxCount)
        // What is queued already is taken at once: the path of a busy reader.
        if let queued = takeQueued(maxCount: maxCount) { return queued }
        if timeout <= .zero {
            if let reason = core.state.withLock({ $0.closedReason }) { throw reason }
            return []
        }
        return try await waitForMessages(maxCount: maxCount, deadline: .now + timeout)
    }

    /// Parks a receive waiter, which the owner thread resumes with what arrives or, at
    /// `deadline`, with an empty batch.
    private func waitForMessages(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [Message] {
        let id = core.state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Message], any Error>) in
                // The owner may have filled the queue since the fast path looked.
                let outcome = core.state.withLock { state -> (result: Result<[Message], any Error>?, wake: Bool) in
                    if state.inboundCount > 0 {
                        let (batch, wake) = state.takeInbound(maxCount: maxCount)
                        return (.success(batch), wake)
                    }
                    if let reason = state.closedReason { return (.failure(reason), false) }
                    if Task.isCancelled { return (.failure(CancellationError()), false) }
                    state.receiveWaiters.append(
                        .init(id: id, maxCount: maxCount, deadline: deadline, continuation: continuation)
                    )
                    return (nil, deadline.map { state.claimWakeUp(before: $0) } ?? false)
                }
                if outcome.wake { core.wakeUp.signal() }
                if let result = outcome.result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter = core.state.withLock { state -> AsyncSocketCore.ReceiveWaiter? in
                guard let index = state.receiveWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.receiveWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Up to `maxCount` messages already received, or nil when none are; wakes the owner thread
    /// if a full queue had stopped it from reading.
    private func takeQueued(maxCount: Int) -> [Message]? {
        let taken = core.state.withLock { state -> (batch: [Message], wake: Bool)? in
            state.inboundCount > 0 ? state.takeInbound(maxCount: maxCount) : nil
        }
        if let taken, taken.wake { core.wakeUp.signal() }
        return taken?.batch
    }

    /// The received messages as an async sequence, read in batches.
    ///
    /// The sequence ends when the socket is closed and everything received was read; it throws
    /// if the socket failed (for example when its context was shut down). Use one iterator at a
    /// time: two iterators would each get part of the stream.
    public var messages: Messages { Messages(socket: self) }

    /// The received messages of an ``AsyncSocket``.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = Message
        let socket: AsyncSocket

        public func makeAsyncIterator() -> Iterator {
            Iterator(socket: socket)
        }

        /// Reads batches of up to 256 messages and hands them out one by one.
        public struct Iterator: AsyncIteratorProtocol {
            let socket: AsyncSocket
            var batch: [Message] = []
            var index = 0

            public mutating func next() async throws -> Message? {
                if index == batch.count {
                    do {
                        batch = try await socket.receiveBatch(maxCount: 256)
                    } catch let error as ZeroMQError where error.code == .socketClosed {
                        return nil
                    }
                    index = 0
                }
                defer { index += 1 }
                return batch[index]
            }
        }
    }
}
