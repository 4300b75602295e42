import Synchronization

/// Wakes one waiting task; rings while nobody waits are remembered as one.
///
/// The relay waits on it: a commit the committing thread did not send rings it at once, a ticker
/// rings it regularly, shutdown rings it last.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait.
    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns once the bell has rung since the last wait returned. One waiter at a time.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ringing = state.withLock { state -> Bool in
                if state.rung {
                    state.rung = false
                    return true
                }
                precondition(state.waiter == nil, "a Doorbell has one waiter at a time")
                state.waiter = continuation
                return false
            }
            if ringing { continuation.resume() }
        }
    }
}
