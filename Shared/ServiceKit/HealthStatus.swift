import Hummingbird

/// The body of `GET /health`: the process is up and serving HTTP.
///
/// `{"status":"ok","service":"huddle-accounts","version":"0.1.0","uptimeSeconds":42}`
package struct HealthStatus: ResponseEncodable, Decodable, Equatable, Sendable {
    /// Always `ok`: a process that answers at all is alive (readiness is a separate endpoint).
    package var status: String
    /// The executable's name, e.g. `huddle-accounts`.
    package var service: String
    /// The Huddle version the process was built from.
    package var version: String
    /// Whole seconds since the service assembled its router.
    package var uptimeSeconds: Int

    /// Creates a health body.
    package init(status: String = "ok", service: String, version: String = HuddleVersion.current, uptimeSeconds: Int) {
        self.status = status
        self.service = service
        self.version = version
        self.uptimeSeconds = uptimeSeconds
    }
}

/// The version of this Huddle build.
package enum HuddleVersion {
    /// Reported by `/health` and the start log line.
    package static let current = "0.1.0"
}
