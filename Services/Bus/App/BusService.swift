import Logging
import ServiceKit

/// Builds `huddle-bus`, the stateless ZeroMQ XSUB/XPUB proxy between publishers and subscribers.
///
/// Today it serves only `GET /health`; the proxy itself (on `HUDDLE_BUS_XSUB_BIND` / `HUDDLE_BUS_XPUB_BIND`) and
/// `/metrics` arrive with a later issue.
package func buildBusService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    let router = HuddleService.makeRouter(for: configuration)
    return HuddleService(configuration: configuration, router: router, logger: logger)
}
