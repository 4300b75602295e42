import Foundation

/// A wait in a test ran out of time, or blocking work ended before it should have.
struct InteropFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs blocking socket code on a thread of its own while the calling task goes on.
///
/// `body` hands one value to its `announce` argument part-way through (a bound endpoint, say);
/// then `meanwhile` runs with that value on the calling task. Returns both results once both are
/// done. Blocking calls never run on Swift's small cooperative pool, where they could starve the
/// tasks the test is waiting for; `body` must bound its own waits (receive time-outs).
func onOwnThread<Announced: Sendable, Result: Sendable, Other: Sendable>(
    _ body: @escaping @Sendable (_ announce: @Sendable (Announced) -> Void) throws -> Result,
    meanwhile: (Announced) async throws -> Other
) async throws -> (Result, Other) {
    let (announcements, announcer) = AsyncStream.makeStream(of: Announced.self, bufferingPolicy: .bufferingNewest(1))
    async let result: Result = withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            let outcome = Swift.Result { try body { announcer.yield($0) } }
            announcer.finish()
            continuation.resume(with: outcome)
        }
        thread.name = "interop-blocking"
        thread.start()
    }
    var iterator = announcements.makeAsyncIterator()
    guard let announced = await iterator.next() else {
        // The body ended without announcing anything: its error (if any) says why.
        _ = try await result
        throw InteropFailure(description: "the blocking work ended without announcing its endpoint")
    }
    let other = try await meanwhile(announced)
    return (try await result, other)
}
