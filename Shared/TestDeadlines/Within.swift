/// A wait in a test that ran out of time.
package struct TimedOut: Error, CustomStringConvertible {
    /// What the test was waiting for, and for how long.
    package let description: String

    /// A timeout described by `description`.
    package init(description: String) {
        self.description = description
    }
}

/// Runs `body`, failing with ``TimedOut`` (naming `what`) if it takes longer than `limit`.
///
/// `body` must end when its task is cancelled, as `AsyncSocket.receive()` does.
package func within<Value: Sendable>(
    _ limit: Duration,
    waitingFor what: String,
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimedOut(description: "timed out after \(limit) waiting for \(what)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
