import Hummingbird

/// The body of `GET /ready`: 200 when every check passed, 503 naming the ones that did not.
///
/// `{"status":"not ready","service":"huddle-accounts","checks":{"database":"not open, or its migrations not done yet"}}`
package struct ReadinessStatus: ResponseEncodable, Decodable, Equatable, Sendable {
    /// `ready` or `not ready`.
    package var status: String
    /// The executable's name, e.g. `huddle-accounts`.
    package var service: String
    /// Each check by name: `ok`, or what keeps the service from being ready.
    package var checks: [String: String]

    /// Whether every check passed.
    package var isReady: Bool { status == "ready" }

    /// The body for `results` (``Readiness/evaluate()``): ready when no check names a problem.
    package init(service: String, results: [String: String?]) {
        self.service = service
        checks = results.mapValues { $0 ?? "ok" }
        status = results.values.allSatisfy { $0 == nil } ? "ready" : "not ready"
    }
}
