import Logging
import ServiceKit

/// Builds `huddle-signals`, the intake of external activity signals (ZeroMQ and HTTP): validation, dedup,
/// dead letters and identity resolution.
///
/// Today it serves only `GET /health`; the intake endpoints arrive with later issues.
package func buildSignalsService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    let router = HuddleService.makeRouter(for: configuration)
    return HuddleService(configuration: configuration, router: router, logger: logger)
}
