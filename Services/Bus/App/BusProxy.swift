import Logging
import ServiceKit
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// The bus itself: libzmq's steerable proxy between an XSUB socket that publishers connect to and
/// an XPUB socket that subscribers connect to, run as a service beside the HTTP server.
///
/// It keeps no state: a restart loses only what was in flight, which consumers recover by replay,
/// and two proxies can run side by side (consumers drop the duplicates).
package final class BusProxy: Service {
    /// Socket settings of the proxy.
    package struct Limits: Sendable {
        /// libzmq's per-frame cap: far above the services' own 4 MiB message limit, so that an
        /// over-limit event still reaches a consumer that can report and dead-letter it.
        package var maximumFrameBytes: Int64 = 16 << 20
        /// Messages queued per peer on each side before PUB semantics drop (consumers then replay).
        package var highWaterMark: Int32 = 100_000
    }

    private let endpoints: ServiceConfiguration.BusProxy
    private let limits: Limits
    private let logger: Logger
    private let running = Mutex<SteerableProxy?>(nil)

    /// A proxy that binds `endpoints` when it runs.
    package init(endpoints: ServiceConfiguration.BusProxy, limits: Limits = Limits(), logger: Logger) {
        self.endpoints = endpoints
        self.limits = limits
        self.logger = logger
    }

    /// Binds both sides and forwards until a graceful shutdown; a bind failure ends the service
    /// with an error (and the process with status 1).
    package func run() async throws {
        let context = try Context()
        let limits = self.limits
        let endpoints = self.endpoints
        let proxy = try await SteerableProxy(
            context: context,
            frontend: ProxySocket(.extendedSubscribe) { socket in
                try socket.setOption(.maximumMessageSize, limits.maximumFrameBytes)
                try socket.setOption(.receiveHighWaterMark, limits.highWaterMark)
                try socket.bind(endpoints.xsubBind)
            },
            backend: ProxySocket(.extendedPublish) { socket in
                try socket.setOption(.maximumMessageSize, limits.maximumFrameBytes)
                try socket.setOption(.sendHighWaterMark, limits.highWaterMark)
                try socket.bind(endpoints.xpubBind)
            }
        )
        running.withLock { $0 = proxy }
        logger.info(
            "bus proxy forwarding",
            metadata: ["xsub": "\(endpoints.xsubBind)", "xpub": "\(endpoints.xpubBind)"]
        )
        await withGracefulShutdownHandler {
            try? await proxy.waitUntilStopped()
        } onGracefulShutdown: {
            Task { try? await proxy.terminate() }
        }
        running.withLock { $0 = nil }
        try await proxy.terminate()
        logger.info("bus proxy stopped")
    }

    /// Whether both sides are bound and messages flow.
    package var isForwarding: Bool { running.withLock { $0 != nil } }

    /// The proxy's counts so far, or `nil` while it is not forwarding.
    package func statistics() async throws -> ProxyStatistics? {
        guard let proxy = running.withLock({ $0 }) else { return nil }
        return try await proxy.statistics()
    }
}
