import Synchronization

/// What `GET /ready` asks: the checks a service registers, each saying what keeps it from
/// serving, or `nil` when nothing does.
///
/// Liveness (`/health`) says the process answers; readiness says it should get traffic: its
/// migrations ran, its database answers, its consumers are not stopped at a purged range or far
/// behind. Orchestrators and load balancers route by it, operators read its reasons.
package final class Readiness: Sendable {
    /// One check: `nil` when ready, otherwise the reason, in words an operator acts on.
    package typealias Check = @Sendable () async -> String?

    private let checks = Mutex<[(name: String, check: Check)]>([])
    /// How long a check may take before it counts as failed (a hung database must not hang `/ready`).
    package let timeout: Duration

    /// An empty set of checks: ready until one is added.
    package init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    /// Adds a check named `name` (the key it reports under).
    package func add(_ name: String, _ check: @escaping Check) {
        checks.withLock { $0.append((name, check)) }
    }

    /// Runs every check at once, each bounded by ``timeout``: each check's name and its problem,
    /// `nil` for the checks that passed.
    package func evaluate() async -> [String: String?] {
        let checks = self.checks.withLock { $0 }
        let timeout = self.timeout
        return await withTaskGroup(of: (String, String?).self) { group in
            for (name, check) in checks {
                group.addTask { (name, await Self.bounded(check, timeout: timeout)) }
            }
            var results: [String: String?] = [:]
            for await (name, problem) in group { results[name] = .some(problem) }
            return results
        }
    }

    /// The check's answer, or a problem when it takes longer than `timeout` (it is then cancelled).
    private static func bounded(_ check: @escaping Check, timeout: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { race in
            race.addTask { await check() }
            race.addTask {
                try? await Task.sleep(for: timeout)
                return "no answer within \(timeout)"
            }
            let first = await race.next() ?? nil
            race.cancelAll()
            return first
        }
    }
}
