/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
///
/// For states that have no event to await, such as "this port stops answering". Use it inside `#expect` so that
/// a timeout fails the test: `#expect(await eventually { … })`.
package func eventually(
    timeout: Duration = .seconds(10),
    poll interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() {
            return true
        }
        guard ContinuousClock.now < deadline, !Task.isCancelled else {
            return false
        }
        try? await Task.sleep(for: interval)
    }
}
