extension AsyncSocket {
    /// Queues `message` for sending and returns; suspends while the send queue is full.
    ///
    /// Throws ``ZeroMQError/Code/socketClosed`` after close, `CancellationError` if the task is
    /// cancelled while waiting for room, and the first failure of an earlier queued message
    /// that has not been reported yet (see ``flush()``).
    public func send(_ message: Message) async throws {
        guard !message.frames.isEmpty else {
            throw ZeroMQError(.invalidArgument, "a message needs at least one frame", operation: "AsyncSocket.send")
        }
        guard type.canSend else {
            throw ZeroMQError(.invalidArgument, "a \(type) socket cannot send", operation: "AsyncSocket.send")
        }
        // Fast path: room in the queue, no suspension.
        let outcome = core.state.withLock { state -> SendOutcome in
            if let refusal = refusal(&state) { return .refused(refusal) }
            guard state.sendQueueCount < core.limits.sendCapacity, state.sendWaiters.isEmpty else { return .mustWait }
            state.outbound.append(message)
            state.enqueued += 1
            return .queued(wake: state.claimWakeUp())
        }
        switch outcome {
        case .queued(let wake):
            if wake { core.wakeUp.signal() }
        case .refused(let error):
            throw error
        case .mustWait:
            try await waitForRoom(message)
        }
    }

    /// Waits until every message queued so far has been handed to libzmq, and throws the first
    /// failure among them, if any (then clears it). Throws `CancellationError` if the task is
    /// cancelled while waiting; the messages stay queued.
    public func flush() async throws {
        let id = core.state.withLock { $0.makeWaiterID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = core.state.withLock { state -> Result<Void, any Error>? in
                    if let failure = state.sendFailure {
                        state.sendFailure = nil
                        return .failure(failure)
                    }
                    if state.handedOver >= state.enqueued { return .success(()) }
                    if let reason = state.closedReason { return .failure(reason) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.flushWaiters.append(.init(id: id, target: state.enqueued, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = core.state.withLock { state -> AsyncSocketCore.FlushWaiter? in
                guard let index = state.flushWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.flushWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private enum SendOutcome {
        case queued(wake: Bool)
        case refused(any Error)
        case mustWait
    }

    private func refusal(_ state: inout AsyncSocketCore.State) -> (any Error)? {
        if let reason = state.closedReason { return reason }
        if state.closeRequested { return Self.closing }
        if let failure = state.sendFailure {
            state.sendFailure = nil
            return failure
        }
        return nil
    }

    /// Parks the message with its continuation; the owner thread moves it into the queue as
    /// room frees up, in arrival order, and then resumes the sender.
    private func waitForRoom(_ message: Message) async throws {
        let id = core.state.withLock { $0.makeWaiterID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // The owner may have drained the queue and gone to sleep since the fast path
                // looked: take the room if there is some, and wake the owner either way.
                let outcome = core.state.withLock { state -> (done: Result<Void, any Error>?, wake: Bool) in
                    if let refusal = refusal(&state) { return (.failure(refusal), false) }
                    if Task.isCancelled { return (.failure(CancellationError()), false) }
                    if state.sendQueueCount < core.limits.sendCapacity, state.sendWaiters.isEmpty {
                        state.outbound.append(message)
                        state.enqueued += 1
                        return (.success(()), state.claimWakeUp())
                    }
                    state.sendWaiters.append(.init(id: id, message: message, continuation: continuation))
                    return (nil, state.claimWakeUp())
                }
                if outcome.wake { core.wakeUp.signal() }
                if let done = outcome.done { continuation.resume(with: done) }
            }
        } onCancel: {
            let waiter = core.state.withLock { state -> AsyncSocketCore.SendWaiter? in
                guard let index = state.sendWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sendWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
