import Glibc

/// A value guarded by a `pthread_mutex_t`.
///
/// The binding uses this instead of the standard library's `Mutex` because the thread sanitizer
/// understands pthread mutexes but not `Mutex`'s futex calls on Linux: with `Mutex`, every
/// correctly locked access would be reported as a race, and real races would drown in them.
final class LockedState<State>: @unchecked Sendable {
    // @unchecked: `state` is only read or written between pthread_mutex_lock and _unlock below,
    // and the mutex lives at a stable heap address for the object's whole life.
    private var state: State
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Fails only for invalid attributes or lack of memory, neither possible with defaults.
        _ = pthread_mutex_init(mutex, nil)
    }

    deinit {
        _ = pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the state. Keep it short; never block inside.
    @inline(__always)
    func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
