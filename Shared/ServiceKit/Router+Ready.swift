import Hummingbird

extension Router {
    /// Adds `GET /ready`: 200 with a ``ReadinessStatus`` when every check of `readiness` passes,
    /// 503 with the same body, naming what failed, when one does not.
    package func addReadyRoute(_ readiness: Readiness, service: ServiceName) {
        get("ready") { _, _ in
            let status = ReadinessStatus(service: service.executableName, results: await readiness.evaluate())
            return EditedResponse(status: status.isReady ? .ok : .serviceUnavailable, response: status)
        }
    }
}
