/// The owner thread of an ``AsyncSocket``: the only code that touches its libzmq socket.
///
/// Each turn it takes queued commands and outgoing messages (one lock), sends until libzmq
/// would block, receives while the receive queue has room, publishes the results and resumes
/// waiters (one lock), and sleeps in `zmq_poll` only when there is nothing left to do, until the
/// earliest deadline of a timed receive at most. Work arriving while it sleeps (or a receive
/// whose deadline comes sooner) signals the wake-up eventfd, once per sleep.
struct OwnerLoop {
    let socket: Socket
    let core: AsyncSocketCore
    let onRejected: (@Sendable (ZeroMQError) -> Void)?

    /// Most messages received per turn, so that senders and waiters are served in between.
    private static let receiveBatch = 1024

    private enum Next {
        case again
        /// Poll for these events, until the earliest receive deadline at most.
        case sleep(PollEvents, until: ContinuousClock.Instant?)
        case close
    }

    /// Serves the socket until close or a fatal error; returns the waiters to finish, which the
    /// caller resumes only after releasing the socket (see ``AsyncSocket/close(drainTimeout:)``).
    func run() -> Resumptions {
        var backlog = Backlog()
        var poller = Poller()
        var fatal: ZeroMQError?
        do {
            try poller.add(socket, events: [])
        } catch {
            fatal = error
        }
        poller.add(fileDescriptor: core.wakeUp.fileDescriptor, events: .readable)

        while fatal == nil {
            let (commands, room) = core.state.withLock { state in
                let commands = state.commands
                state.commands.removeAll()
                var taken: [Message] = []
                swap(&taken, &state.outbound)
                state.ownerBacklog += taken.count
                backlog.append(taken)
                return (commands, core.limits.receiveCapacity - state.inboundCount)
            }
            for command in commands { command.run(socket) }

            var sending = backlog.send(through: socket)
            fatal = sending.fatal
            var receiving = socket.type.canReceive ? receive(budget: room) : Receiving()
            fatal = fatal ?? receiving.fatal

            let (next, resumptions) = publish(&sending, &receiving, fatal: fatal, backlogBlocked: !backlog.isEmpty)
            resumptions.run()

            switch next {
            case .again:
                continue
            case .close:
                break
            case .sleep(let events, let deadline):
                poller.setEvents(events, at: 0)
                do {
                    try poller.poll(timeout: deadline.map(Self.timeout(until:)) ?? .infinite)
                } catch {
                    fatal = error
                }
                if poller.readyEvents(at: 1).contains(.readable) { core.wakeUp.reset() }
                core.state.withLock { state in
                    state.ownerSleeping = false
                    state.ownerSleepsUntil = nil
                    state.wakeSignalled = false
                }
                continue
            }
            break
        }
        return shutDown(backlog: &backlog, fatal: fatal)
    }

    // MARK: - One turn

    private struct Receiving {
        var messages: [Message] = []
        var rejected: UInt64 = 0
        var mayHaveMore = false
        var fatal: ZeroMQError?
    }

    private func receive(budget: Int) -> Receiving {
        var result = Receiving()
        let budget = min(budget, Self.receiveBatch)
        var attempts = 0
        while attempts < budget {
            attempts += 1
            do {
                guard let message = try socket.receive(dontWait: true) else { return result }
                result.messages.append(message)
            } catch  where error.code == .tooManyFrames || error.code == .messageTooLarge {
                result.rejected += 1
                onRejected?(error)
            } catch {
                result.fatal = error
                return result
            }
        }
        result.mayHaveMore = budget > 0
        return result
    }

    /// Records a turn's results under the lock and decides what to do next; the returned
    /// resumptions run after the lock is released.
    private func publish(
        _ sending: inout Backlog.SendResult,
        _ receiving: inout Receiving,
        fatal: ZeroMQError?,
        backlogBlocked: Bool
    ) -> (Next, Resumptions) {
        var resumptions = Resumptions()
        let next = core.state.withLock { state -> Next in
            let done = sending.accepted + sending.failed
            state.ownerBacklog -= Int(done)
            state.handedOver += done
            state.statistics.sent += sending.accepted
            state.statistics.sendFailures += sending.failed
            state.statistics.received += UInt64(receiving.messages.count)
            state.statistics.rejected += receiving.rejected
            if state.sendFailure == nil { state.sendFailure = sending.firstFailure }
            if !receiving.messages.isEmpty { state.inbound.append(contentsOf: receiving.messages) }

            resumptions.collect(from: &state, sendCapacity: core.limits.sendCapacity)

            if fatal != nil || state.closeRequested { return .close }
            if !state.commands.isEmpty || !state.outbound.isEmpty || receiving.mayHaveMore { return .again }
            let canRead = socket.type.canReceive && state.inboundCount < core.limits.receiveCapacity
            state.ownerSleeping = true
            state.ownerIgnoresReadable = !canRead
            state.ownerSleepsUntil = state.receiveWaiters.lazy.compactMap(\.deadline).min()
            var events: PollEvents = []
            if canRead { events.insert(.readable) }
            if backlogBlocked { events.insert(.writable) }
            return .sleep(events, until: state.ownerSleepsUntil)
        }
        return (next, resumptions)
    }

    /// The poll time-out that ends at `deadline` or just after: rounded up to whole
    /// milliseconds, so that the owner does not wake before it and poll again for nothing.
    private static func timeout(until deadline: ContinuousClock.Instant) -> Timeout {
        let remaining = deadline - .now
        return remaining <= .zero ? .milliseconds(0) : .after(remaining + .nanoseconds(999_999))
    }

    // MARK: - Closing

    private func shutDown(backlog: inout Backlog, fatal: ZeroMQError?) -> Resumptions {
        if fatal == nil { drain(&backlog) }
        let discarded = backlog.count
        socket.close()
        let reason = fatal ?? ZeroMQError(.socketClosed, "the socket is closed", operation: "AsyncSocket")
        var resumptions = Resumptions()
        core.state.withLock { state in
            state.closedReason = reason
            state.discardedAtClose = discarded
            state.ownerBacklog = 0
            resumptions.collectAll(from: &state, reason: reason, discarded: discarded)
        }
        return resumptions
    }

    /// Hands what is still queued to libzmq, waiting for room at most the drain time-out.
    private func drain(_ backlog: inout Backlog) {
        let deadline = ContinuousClock.now + core.state.withLock { $0.drainTimeout }
        var poller = Poller()
        guard (try? poller.add(socket, events: .writable)) != nil else { return }
        while true {
            core.state.withLock { state in
                var taken: [Message] = []
                swap(&taken, &state.outbound)
                backlog.append(taken)
            }
            let result = backlog.send(through: socket)
            let remaining = deadline - ContinuousClock.now
            if backlog.isEmpty || result.fatal != nil || remaining <= .zero { return }
            _ = try? poller.poll(timeout: .after(remaining))
        }
    }
}
