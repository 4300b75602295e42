extension OwnerLoop {
    /// Messages the owner thread took from the send queue and has not yet handed to libzmq.
    struct Backlog {
        private var messages: [Message] = []
        private var head = 0

        var isEmpty: Bool { head == messages.count }
        var count: Int { messages.count - head }

        mutating func append(_ batch: [Message]) {
            if batch.isEmpty { return }
            if isEmpty {
                messages = batch
                head = 0
            } else {
                messages.append(contentsOf: batch)
            }
        }

        struct SendResult {
            var accepted: UInt64 = 0
            var failed: UInt64 = 0
            var firstFailure: ZeroMQError?
            var fatal: ZeroMQError?
        }

        /// Sends until libzmq would block or the backlog is empty. A message libzmq refuses with
        /// an error (e.g. unroutable on a mandatory ROUTER) is dropped and reported; a closed
        /// socket or terminated context is fatal.
        mutating func send(through socket: Socket) -> SendResult {
            var result = SendResult()
            while head < messages.count {
                do {
                    guard try socket.send(messages[head], dontWait: true) else { break }
                    result.accepted += 1
                } catch  where error.isContextTerminated || error.code == .socketClosed {
                    result.fatal = error
                    break
                } catch {
                    result.failed += 1
                    if result.firstFailure == nil { result.firstFailure = error }
                }
                head += 1
            }
            if isEmpty {
                messages.removeAll(keepingCapacity: true)
                head = 0
            }
            return result
        }
    }

    /// Continuations to resume once the lock is released.
    struct Resumptions {
        private var sends: [CheckedContinuation<Void, any Error>] = []
        private var sendFailures: [(CheckedContinuation<Void, any Error>, any Error)] = []
        private var receives: [(CheckedContinuation<[Message], any Error>, Result<[Message], any Error>)] = []
        private var flushes: [(CheckedContinuation<Void, any Error>, Result<Void, any Error>)] = []
        private var commands: [AsyncSocketCore.Command] = []
        private var closes: [CheckedContinuation<Int, Never>] = []
        private var closeReason: ZeroMQError?
        private var discarded = 0

        /// Serves waiting receivers, moves waiting senders into the freed room, finishes flushes.
        mutating func collect(from state: inout AsyncSocketCore.State, sendCapacity: Int) {
            while !state.receiveWaiters.isEmpty, state.inboundCount > 0 {
                let waiter = state.receiveWaiters.removeFirst()
                // The owner itself is awake here, so no wake-up is needed.
                receives.append((waiter.continuation, .success(state.takeInbound(maxCount: waiter.maxCount).batch)))
            }
            // Nothing arrived for those still waiting: the ones whose time is up get an empty batch.
            // The clock is read only if some waiter has a deadline.
            var now: ContinuousClock.Instant?
            state.receiveWaiters.removeAll { waiter in
                guard let deadline = waiter.deadline else { return false }
                let current = now ?? .now
                now = current
                guard deadline <= current else { return false }
                receives.append((waiter.continuation, .success([])))
                return true
            }
            while !state.sendWaiters.isEmpty, state.sendQueueCount < sendCapacity {
                let waiter = state.sendWaiters.removeFirst()
                state.outbound.append(waiter.message)
                state.enqueued += 1
                sends.append(waiter.continuation)
            }
            if !state.flushWaiters.isEmpty {
                let handedOver = state.handedOver
                for waiter in state.flushWaiters where waiter.target <= handedOver {
                    if let failure = state.sendFailure {
                        state.sendFailure = nil
                        flushes.append((waiter.continuation, .failure(failure)))
                    } else {
                        flushes.append((waiter.continuation, .success(())))
                    }
                }
                state.flushWaiters.removeAll { $0.target <= handedOver }
            }
        }

        /// Finishes every waiter at close: senders and commands fail with `reason`, receivers get
        /// what is left and then `reason`, flushes fail if anything was discarded.
        mutating func collectAll(from state: inout AsyncSocketCore.State, reason: ZeroMQError, discarded: Int) {
            collect(from: &state, sendCapacity: 0)
            sendFailures = state.sendWaiters.map { ($0.continuation, reason) }
            state.sendWaiters.removeAll()
            receives += state.receiveWaiters.map { ($0.continuation, .failure(reason)) }
            state.receiveWaiters.removeAll()
            let flushOutcome: Result<Void, any Error> =
                discarded > 0 || state.sendFailure != nil ? .failure(state.sendFailure ?? reason) : .success(())
            flushes += state.flushWaiters.map { ($0.continuation, flushOutcome) }
            state.flushWaiters.removeAll()
            commands = state.commands
            state.commands.removeAll()
            closes = state.closeWaiters
            state.closeWaiters.removeAll()
            closeReason = reason
            self.discarded = discarded
        }

        func run() {
            for continuation in sends { continuation.resume() }
            for (continuation, error) in sendFailures { continuation.resume(throwing: error) }
            for (continuation, result) in receives { continuation.resume(with: result) }
            for (continuation, result) in flushes { continuation.resume(with: result) }
            if let closeReason { for command in commands { command.cancel(closeReason) } }
            for continuation in closes { continuation.resume(returning: discarded) }
        }
    }
}

extension AsyncSocketCore {
    /// Marks a socket whose set-up failed as closed, so later calls fail instead of waiting.
    func finishWithoutSocket(reason: any Error) {
        let closed =
            reason as? ZeroMQError ?? ZeroMQError(.socketClosed, "set-up failed: \(reason)", operation: "AsyncSocket")
        state.withLock { $0.closedReason = closed }
    }
}
