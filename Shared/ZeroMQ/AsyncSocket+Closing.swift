extension AsyncSocket {
    /// Lets queued messages leave (waiting at most `drainTimeout` for libzmq to accept them),
    /// closes the socket on its owner thread and finishes every waiter.
    ///
    /// Returns once the owner thread has released the socket. libzmq sends what it still holds
    /// during the socket's linger, in the background; the context's termination waits for that,
    /// so a process that releases its last context reference before exiting loses nothing.
    ///
    /// Throws ``ZeroMQError/Code/unsentMessagesDiscarded`` if queued messages could not be handed
    /// to libzmq in time (they are counted, never silently lost). Closing twice is harmless.
    public func close(drainTimeout: Duration = .seconds(1)) async throws {
        let discarded = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            let outcome = core.state.withLock { state -> (done: Int?, wake: Bool) in
                if state.closedReason != nil { return (state.discardedAtClose, false) }
                state.closeWaiters.append(continuation)
                if !state.closeRequested {
                    state.closeRequested = true
                    state.drainTimeout = drainTimeout
                }
                return (nil, state.claimWakeUp())
            }
            if let done = outcome.done { continuation.resume(returning: done) }
            if outcome.wake { core.wakeUp.signal() }
        }
        if discarded > 0 {
            throw ZeroMQError(
                .unsentMessagesDiscarded,
                "\(discarded) queued messages could not be sent within \(drainTimeout)",
                operation: "AsyncSocket.close"
            )
        }
    }
}
