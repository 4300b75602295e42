/// The state an ``AsyncSocket`` shares between its callers and its owner thread.
///
/// Everything here is guarded by one mutex and held only for a few instructions: callers append
/// to or take from the bounded queues, the owner thread moves whole batches per lock. Waiting
/// callers park continuations here; they are always resumed outside the lock.
final class AsyncSocketCore: Sendable {
    struct Limits: Sendable {
        var sendCapacity: Int
        var receiveCapacity: Int
    }

    struct SendWaiter {
        let id: UInt64
        let message: Message
        let continuation: CheckedContinuation<Void, any Error>
    }

    struct ReceiveWaiter {
        let id: UInt64
        let maxCount: Int
        /// When the waiter gets an empty batch if nothing arrived; nil waits without limit.
        let deadline: ContinuousClock.Instant?
        let continuation: CheckedContinuation<[Message], any Error>
    }

    struct FlushWaiter {
        let id: UInt64
        let target: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// A closure the owner thread runs against its socket (bind, subscribe, set an option, …).
    struct Command {
        let run: @Sendable (Socket) -> Void
        let cancel: @Sendable (ZeroMQError) -> Void
    }

    struct State {
        // Sending: `outbound` waits for the owner; `ownerBacklog` was taken but not yet accepted by libzmq.
        var outbound: [Message] = []
        var ownerBacklog = 0
        var sendWaiters: [SendWaiter] = []
        var flushWaiters: [FlushWaiter] = []
        var enqueued: UInt64 = 0
        var handedOver: UInt64 = 0
        /// The first failure of a queued message that no caller has been told about yet.
        var sendFailure: ZeroMQError?

        // Receiving: a queue read from `inboundHead`.
        var inbound: [Message] = []
        var inboundHead = 0
        var receiveWaiters: [ReceiveWaiter] = []

        var commands: [Command] = []

        // The owner sleeps in zmq_poll; a caller that gives it work signals the eventfd once.
        // It sleeps until the earliest receive deadline at most (nil: without limit).
        var ownerSleeping = false
        var ownerSleepsUntil: ContinuousClock.Instant?
        var ownerIgnoresReadable = false
        var wakeSignalled = false

        var closeRequested = false
        var drainTimeout: Duration = .seconds(1)
        /// Set once the owner thread has closed the socket; carries why (`socketClosed` or a fatal error).
        var closedReason: ZeroMQError?
        var closeWaiters: [CheckedContinuation<Int, Never>] = []
        var discardedAtClose = 0

        var nextWaiterID: UInt64 = 0
        var statistics = AsyncSocket.Statistics()

        var inboundCount: Int { inbound.count - inboundHead }
        var sendQueueCount: Int { outbound.count + ownerBacklog }

        /// Takes up to `maxCount` received messages from the front of the queue.
        ///
        /// `wake` is true when the owner sleeps without reading because the queue was full: the
        /// caller must then signal it after unlocking, or it would never read again.
        mutating func takeInbound(maxCount: Int) -> (batch: [Message], wake: Bool) {
            let end = min(inbound.count, inboundHead + maxCount)
            let batch = Array(inbound[inboundHead..<end])
            inboundHead = end
            if inboundHead == inbound.count {
                inbound.removeAll(keepingCapacity: true)
                inboundHead = 0
            }
            return (batch, ownerIgnoresReadable && claimWakeUp())
        }

        /// Claims the right to signal the sleeping owner; the caller signals after unlocking.
        mutating func claimWakeUp() -> Bool {
            guard ownerSleeping, !wakeSignalled else { return false }
            wakeSignalled = true
            return true
        }

        /// Whether a receive waiter with `deadline` must wake the sleeping owner, which would
        /// otherwise sleep past it; claims the wake-up if so.
        mutating func claimWakeUp(before deadline: ContinuousClock.Instant) -> Bool {
            if let until = ownerSleepsUntil, until <= deadline { return false }
            return claimWakeUp()
        }

        mutating func makeWaiterID() -> UInt64 {
            nextWaiterID += 1
            return nextWaiterID
        }
    }

    let limits: Limits
    let state: LockedState<State>
    let wakeUp: WakeUpSignal

    init(limits: Limits) throws(ZeroMQError) {
        self.limits = limits
        self.state = LockedState(State())
        self.wakeUp = try WakeUpSignal()
    }

    /// Asks the owner thread to drain and close; returns at once.
    func requestClose() {
        let wake = state.withLock { state in
            state.closeRequested = true
            return state.claimWakeUp()
        }
        if wake { wakeUp.signal() }
    }
}
