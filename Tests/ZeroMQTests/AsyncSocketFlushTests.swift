import Testing
import ZeroMQ

/// Every wait of an `AsyncSocket` can be bounded by cancelling its task.
@Suite("AsyncSocket flush and cancellation", .timeLimit(.minutes(1)))
struct AsyncSocketFlushTests {
    /// What became of a flush that was cancelled at once.
    enum FlushOutcome: Sendable, Equatable {
        case cancelled
        case returned
        case failed(String)
        case stillWaiting
    }

    // A PUSH without a peer cannot hand its message to libzmq, so flush() waits. Like send() and
    // receive(), it must give up when its task is cancelled, or callers could not bound it.
    @Test("flush() on a PUSH without a peer ends with CancellationError when its task is cancelled")
    func cancelledFlushEnds() async throws {
        let context = try Context()
        let push = try await AsyncSocket(context: context, type: .push) { try $0.bind("tcp://127.0.0.1:*") }
        try await push.send(Message(strings: ["nobody is listening"]))
        let flushing = Task { try await push.flush() }
        flushing.cancel()
        let outcome = await withTaskGroup(of: FlushOutcome.self) { group in
            group.addTask {
                do {
                    try await flushing.value
                    return .returned
                } catch is CancellationError {
                    return .cancelled
                } catch {
                    return .failed("\(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return .stillWaiting
            }
            let first = await group.next()!
            // Closing ends any flush, so the group can finish either way.
            try? await push.close(drainTimeout: .zero)
            group.cancelAll()
            return first
        }
        #expect(outcome == .cancelled)
    }
}
