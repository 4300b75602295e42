import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// A Huddle service ready to run: its HTTP application plus any background services, in one service group that
/// shuts down gracefully on `SIGTERM` and `SIGINT`.
///
/// Each `<Name>App` library builds one with its own router (see ``makeRouter(for:)``) and `main` runs it through
/// ``ServiceRunner``.
package struct HuddleService: Sendable {
    /// The configuration the service was built from.
    package let configuration: ServiceConfiguration
    /// The HTTP application; tests drive it with HummingbirdTesting's `application.test(.router)`.
    package let application: any ApplicationProtocol
    /// Services that run beside the HTTP server and stop with it (bus consumers, relays, …).
    package let backgroundServices: [any Service]
    /// The service's logger.
    package let logger: Logger

    /// The longest a graceful shutdown may take before the group cancels what is still running.
    package static let maximumGracefulShutdown: Duration = .seconds(10)

    /// Assembles the HTTP application for `router` on the configured host and port.
    package init<Context: RequestContext>(
        configuration: ServiceConfiguration,
        router: Router<Context>,
        backgroundServices: [any Service] = [],
        logger: Logger
    ) where Context: InitializableFromSource<ApplicationRequestContextSource> {
        let http = configuration.http
        self.configuration = configuration
        self.backgroundServices = backgroundServices
        self.logger = logger
        self.application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(http.host, port: http.port),
                serverName: configuration.service.executableName
            ),
            onServerRunning: { _ in
                logger.info(
                    "listening",
                    metadata: [
                        "host": "\(http.host)", "port": "\(http.port)", "url": "http://\(http.host):\(http.port)",
                    ]
                )
            },
            logger: logger
        )
    }

    /// A router with the routes every service has (`GET /health`, and `GET /ready` answering from
    /// `readiness`); the service adds its own after.
    package static func makeRouter(
        for configuration: ServiceConfiguration,
        readiness: Readiness = Readiness()
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.addHealthRoute(service: configuration.service)
        router.addReadyRoute(readiness, service: configuration.service)
        return router
    }

    /// Runs until a graceful shutdown (signal or lost parent) completes; throws when a service fails.
    package func run() async throws {
        logger.info(
            "starting",
            metadata: [
                "version": "\(HuddleVersion.current)",
                "host": "\(configuration.http.host)",
                "port": "\(configuration.http.port)",
                "dataDirectory": "\(configuration.dataDirectory)",
            ]
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
        services += backgroundServices.map { .init(service: $0) }
        if let parentProcessID = configuration.parentProcessID {
            // The watch returning means the parent is gone: stop everything, gracefully.
            services.append(
                .init(
                    service: ParentWatch(parentProcessID: parentProcessID, logger: logger),
                    successTerminationBehavior: .gracefullyShutdownGroup
                )
            )
        }
        // Last in the list, so it is the first to hear of a graceful shutdown and logs it before anything stops.
        services.append(.init(service: ShutdownAnnouncer(logger: logger), successTerminationBehavior: .ignore))
        var group = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = Self.maximumGracefulShutdown
        try await ServiceGroup(configuration: group).run()
        logger.info("stopped")
    }
}
