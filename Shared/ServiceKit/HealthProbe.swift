import Foundation

/// Asks a running service's `GET /health` whether it is up, and which service it is.
package enum HealthProbe {
    /// What the probe found.
    package enum Outcome: Sendable, Equatable {
        /// 200 with a well-formed ``HealthStatus``.
        case healthy(HealthStatus)
        /// Something answered, but not with a healthy Huddle body; the text says what came back.
        case unexpected(String)
        /// Nothing answered in time; the text says why (refused, timed out, …).
        case unreachable(String)
    }

    /// Probes `http://host:port/health` once, bounded by `timeout`.
    package static func check(host: String, port: Int, timeout: Duration = .seconds(1)) async -> Outcome {
        let response: HTTPGet.Response
        do {
            response = try await HTTPGet.get(host: host, port: port, path: "/health", timeout: timeout)
        } catch {
            return .unreachable(error.description)
        }
        guard response.status == 200 else {
            return .unexpected("status \(response.status): \(response.bodyText.prefix(200))")
        }
        guard let status = try? JSONDecoder().decode(HealthStatus.self, from: Data(response.body)) else {
            return .unexpected("not a Huddle health body: \(response.bodyText.prefix(200))")
        }
        return .healthy(status)
    }

    /// The address to probe for a server bound to `bindHost`: a wildcard bind is reached through loopback.
    package static func probeHost(forBindHost bindHost: String) -> String {
        switch bindHost {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "::1"
        default: bindHost
        }
    }
}
