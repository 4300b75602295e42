import EventBus
import Logging
import Prometheus
import ServiceKit

/// Builds `huddle-coaching`, which turns signals and project state into engagement scores, buying stages, deal
/// warnings, nudges, coaching questions, coaching sessions and daily huddle agendas.
///
/// Today it serves `GET /health`, `GET /ready` and `GET /metrics` and runs its bus outbox (``ServiceBus``); the coaching API and its consumers arrive with later issues.
package func buildCoachingService(configuration: ServiceConfiguration, logger: Logger) throws -> HuddleService {
    let registry = PrometheusCollectorRegistry()
    let readiness = Readiness()
    let router = HuddleService.makeRouter(for: configuration, readiness: readiness)
    router.addMetricsRoute(registry)
    let bus = try ServiceBus(configuration: configuration, registry: registry, readiness: readiness, logger: logger)
    return HuddleService(configuration: configuration, router: router, backgroundServices: [bus], logger: logger)
}
