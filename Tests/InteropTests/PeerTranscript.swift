import Synchronization

/// Everything a peer process has said (standard output line by line, standard error as text) and
/// how it ended; tasks can wait, with a deadline, for the next line or for the exit.
///
/// The reader threads of ``PythonPeer`` fill it in; every change wakes the waiting tasks, which
/// look again.
final class PeerTranscript: Sendable {
    /// What waiting for the next line of standard output came to.
    enum NextLine: Sendable, Equatable {
        /// A line (without its newline).
        case line(String)
        /// Standard output was closed and every line has been taken.
        case ended
        /// Nothing new arrived before the deadline.
        case timedOut
    }

    /// How a process ended.
    enum Exit: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// This signal ended it.
        case signaled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signaled(let signal): "ended by signal \(signal)"
            }
        }
    }

    private struct State {
        var lines: [String] = []
        var taken = 0
        var standardError = ""
        var outputClosed = false
        var errorClosed = false
        var exit: Exit?
        // Bumped on every change, so a waiter can tell whether it missed one.
        var generation = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    // MARK: - Filled in by the reader threads

    /// Records one line of standard output.
    func appendLine(_ line: String) {
        update { $0.lines.append(line) }
    }

    /// Records text written to standard error.
    func appendError(_ text: String) {
        update { $0.standardError += text }
    }

    /// Records that standard output reached its end.
    func closeOutput() {
        update { $0.outputClosed = true }
    }

    /// Records that standard error reached its end.
    func closeError() {
        update { $0.errorClosed = true }
    }

    /// Records how the process ended.
    func recordExit(_ exit: Exit) {
        update { $0.exit = exit }
    }

    // MARK: - Read by the test

    /// How the process ended, or `nil` while it runs.
    var exit: Exit? { state.withLock { $0.exit } }

    /// Every line of standard output so far, and standard error.
    var text: (output: [String], error: String) {
        state.withLock { ($0.lines, $0.standardError) }
    }

    /// The next line of standard output not taken yet, waiting until `deadline` for it.
    func nextLine(until deadline: ContinuousClock.Instant) async -> NextLine {
        let next = await wait(until: deadline) { state -> NextLine? in
            if state.taken < state.lines.count {
                state.taken += 1
                return .line(state.lines[state.taken - 1])
            }
            return state.outputClosed ? .ended : nil
        }
        return next ?? .timedOut
    }

    /// Waits until the process has exited and both its outputs are read to the end, or until
    /// `deadline`; returns the exit status, or `nil` on time-out.
    func exit(until deadline: ContinuousClock.Instant) async -> Exit? {
        await wait(until: deadline) { state in state.outputClosed && state.errorClosed ? state.exit : nil }
    }

    /// Every line of standard output not taken yet; takes them.
    func takeRemainingLines() -> [String] {
        state.withLock { state in
            defer { state.taken = state.lines.count }
            return Array(state.lines[state.taken...])
        }
    }

    // MARK: - Waiting for changes

    private func update(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            state.generation += 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Runs `pick` under the lock after every change until it returns a value or `deadline` passes.
    private func wait<Value: Sendable>(
        until deadline: ContinuousClock.Instant,
        _ pick: (inout State) -> Value?
    ) async -> Value? {
        while true {
            let (value, generation) = state.withLock { state in (pick(&state), state.generation) }
            if let value {
                return value
            }
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                return nil
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.change(after: generation) }
                group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Returns at the first change after `generation`, at once if there was one already, or as soon
    /// as the calling task is cancelled.
    private func change(after generation: Int) async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    guard state.generation == generation, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
