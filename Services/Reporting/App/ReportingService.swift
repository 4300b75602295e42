import EventBus
import Logging
import Prometheus
import ServiceKit

/// Builds `huddle-reporting`, which keeps the read models and serves the JSON/CSV API and the live dashboard.
///
/// Today it serves `GET /health`, `GET /ready` and `GET /metrics` and runs its bus outbox (``ServiceBus``); the read models, API and dashboard arrive with later issues.
package func buildReportingService(configuration: ServiceConfiguration, logger: Logger) throws -> HuddleService {
    let registry = PrometheusCollectorRegistry()
    let readiness = Readiness()
    let router = HuddleService.makeRouter(for: configuration, readiness: readiness)
    router.addMetricsRoute(registry)
    let bus = try ServiceBus(configuration: configuration, registry: registry, readiness: readiness, logger: logger)
    return HuddleService(configuration: configuration, router: router, backgroundServices: [bus], logger: logger)
}
