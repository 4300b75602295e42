import Hummingbird

extension Router {
    /// Adds `GET /health`, which answers 200 with a ``HealthStatus`` naming `service`.
    ///
    /// - Parameters:
    ///   - service: The service the process runs.
    ///   - startedAt: The instant uptime is counted from.
    package func addHealthRoute(service: ServiceName, startedAt: ContinuousClock.Instant = .now) {
        get("health") { _, _ in
            let uptime = ContinuousClock.now - startedAt
            return HealthStatus(service: service.executableName, uptimeSeconds: Int(uptime.components.seconds))
        }
    }
}
