import Logging
import ServiceKit

/// Builds `huddle-coaching`, which turns signals and project state into engagement scores, buying stages, deal
/// warnings, nudges, coaching questions, coaching sessions and daily huddle agendas.
///
/// Today it serves only `GET /health`; the coaching API and its consumers arrive with later issues.
package func buildCoachingService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    let router = HuddleService.makeRouter(for: configuration)
    return HuddleService(configuration: configuration, router: router, logger: logger)
}
