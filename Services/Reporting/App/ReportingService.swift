import Logging
import ServiceKit

/// Builds `huddle-reporting`, which keeps the read models and serves the JSON/CSV API and the live dashboard.
///
/// Today it serves only `GET /health`; the read models, API and dashboard arrive with later issues.
package func buildReportingService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    let router = HuddleService.makeRouter(for: configuration)
    return HuddleService(configuration: configuration, router: router, logger: logger)
}
