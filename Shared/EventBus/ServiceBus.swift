import Foundation
import Logging
import Prometheus
import SQLKit
import ServiceKit
import ServiceLifecycle
import Storage
import Synchronization

/// A service's place on the bus: at start it opens the service's database and runs the bus's
/// migrations with the service's own, then relays the service's outbox (heartbeats and replay
/// endpoint included) until shutdown. It reports to `/ready` under `database`: not ready until the
/// migrations ran, then whenever the database does not answer.
package final class ServiceBus: Service {
    private let name: String
    private let location: DatabaseLocation
    private let migrations: [Migration]
    private let publisherID: String?
    private let settings: PublisherSettings
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    /// The database once its migrations ran; `nil` before and after.
    private let ready = Mutex<Database?>(nil)

    /// The bus as `configuration` describes it; `migrations` are the service's own (versions 1000 and up).
    package init(
        configuration: ServiceConfiguration,
        migrations: [Migration] = [],
        registry: PrometheusCollectorRegistry,
        readiness: Readiness,
        logger: Logger
    ) throws {
        let storage = configuration.storage
        name = configuration.service.executableName
        location = try DatabaseLocation(
            url: storage.databaseURL,
            dataDirectory: configuration.dataDirectory,
            name: configuration.service.rawValue
        )
        self.migrations = BusSchema.publisher + BusSchema.consumer + migrations
        publisherID = storage.publisherID
        settings = PublisherSettings(
            busEndpoints: [configuration.bus.publishEndpoint],
            replayBind: storage.replayBind,
            replayAdvertiseHost: storage.replayAdvertiseHost ?? Self.advertiseHost(forBind: storage.replayBind)
        )
        self.registry = registry
        self.logger = logger
        readiness.add("database") { [self] in
            guard let database = ready.withLock({ $0 }) else { return "not open, or its migrations not done yet" }
            do {
                _ = try await database.read { try await $0.raw("SELECT 1 AS one").first() }
                return nil
            } catch {
                return "does not answer: \(error)"
            }
        }
    }

    package func run() async throws {
        let database = try await Database.open(location, logger: logger)
        let outcome: Result<Void, any Error>
        do {
            try await database.migrate(migrations, logger: logger)
            let publisher = try await Publisher.open(database: database, service: name, configuredID: publisherID)
            logger.info("database ready", metadata: ["database": "\(location)", "publisher": "\(publisher.id)"])
            ready.withLock { $0 = database }
            let metrics = PublisherMetrics(registry: registry, publisher: publisher.id)
            try await Relay(publisher: publisher, settings: settings, metrics: metrics, logger: logger).run()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        ready.withLock { $0 = nil }
        await database.close()
        try outcome.get()
    }

    /// The host to advertise for a bind endpoint: its own host, or this machine's name when it
    /// binds every interface (in a container, the name other containers reach it by).
    static func advertiseHost(forBind endpoint: String) -> String {
        let host = endpoint.dropFirst("tcp://".count).split(separator: ":").dropLast().joined(separator: ":")
        guard host == "*" || host == "0.0.0.0" || host.isEmpty else { return host }
        return ProcessInfo.processInfo.hostName
    }
}
