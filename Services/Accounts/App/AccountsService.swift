import EventBus
import Logging
import Prometheus
import ServiceKit

/// Builds `huddle-accounts`, the owner of teams, people, accounts, focus lists, buying groups, sales projects,
/// milestones, targets and partners.
///
/// Today it serves `GET /health`, `GET /ready` and `GET /metrics` and runs its bus outbox (``ServiceBus``); the accounts API and its events arrive with later issues.
package func buildAccountsService(configuration: ServiceConfiguration, logger: Logger) throws -> HuddleService {
    let registry = PrometheusCollectorRegistry()
    let readiness = Readiness()
    let router = HuddleService.makeRouter(for: configuration, readiness: readiness)
    router.addMetricsRoute(registry)
    let bus = try ServiceBus(configuration: configuration, registry: registry, readiness: readiness, logger: logger)
    return HuddleService(configuration: configuration, router: router, backgroundServices: [bus], logger: logger)
}
