import EventBus
import Logging
import Prometheus
import ServiceKit

/// Builds `huddle-signals`, the intake of external activity signals (ZeroMQ and HTTP): validation, dedup,
/// dead letters and identity resolution.
///
/// Today it serves `GET /health`, `GET /ready` and `GET /metrics` and runs its bus outbox (``ServiceBus``); the intake endpoints arrive with later issues.
package func buildSignalsService(configuration: ServiceConfiguration, logger: Logger) throws -> HuddleService {
    let registry = PrometheusCollectorRegistry()
    let readiness = Readiness()
    let router = HuddleService.makeRouter(for: configuration, readiness: readiness)
    router.addMetricsRoute(registry)
    let bus = try ServiceBus(configuration: configuration, registry: registry, readiness: readiness, logger: logger)
    return HuddleService(configuration: configuration, router: router, backgroundServices: [bus], logger: logger)
}
