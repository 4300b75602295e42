import Hummingbird
import Logging
import ServiceKit

/// Builds `huddle-bus`: the stateless ZeroMQ XSUB/XPUB proxy between publishers and subscribers
/// (see ``BusProxy``), with `GET /health`, `GET /ready` (ready once both sides are bound) and
/// Prometheus `GET /metrics` on its HTTP port.
package func buildBusService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    // The configuration always carries the bus's endpoints; the defaults only satisfy the type.
    let endpoints =
        configuration.busProxy
        ?? .init(
            xsubBind: ServiceConfiguration.Defaults.busXSubBind,
            xpubBind: ServiceConfiguration.Defaults.busXPubBind
        )
    var limits = BusProxy.Limits()
    limits.highWaterMark = endpoints.highWaterMark
    let proxy = BusProxy(endpoints: endpoints, limits: limits, logger: logger)
    let metrics = BusMetrics()
    let readiness = Readiness()
    readiness.add("proxy") { proxy.isForwarding ? nil : "not forwarding: its sockets are not bound yet, or it stopped" }
    let router = HuddleService.makeRouter(for: configuration, readiness: readiness)
    router.get("metrics") { _, _ in
        let body = metrics.scrape(try await proxy.statistics())
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
    return HuddleService(configuration: configuration, router: router, backgroundServices: [proxy], logger: logger)
}
