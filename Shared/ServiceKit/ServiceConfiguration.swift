import Logging

/// Everything a Huddle service reads from its environment, validated.
///
/// Build it with ``ServiceConfiguration/init(service:reader:)`` or
/// ``ServiceConfiguration/fromEnvironment(service:environment:)``; the variables, their defaults and rules are in
/// ``ConfigurationVariable``.
package struct ServiceConfiguration: Sendable, Equatable {
    /// Where the HTTP server listens.
    package struct HTTP: Sendable, Equatable {
        /// The address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
        package var host: String
        /// The TCP port to bind, 1–65535.
        package var port: Int

        /// Creates HTTP settings.
        package init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// How much is logged and in which shape.
    package struct Logging: Sendable, Equatable {
        /// The lowest level that is written.
        package var level: Logger.Level
        /// JSON lines or text.
        package var format: LogFormat

        /// Creates log settings.
        package init(level: Logger.Level, format: LogFormat) {
            self.level = level
            self.format = format
        }
    }

    /// Where the service keeps its state and how its outbox is reached.
    package struct Storage: Sendable, Equatable {
        /// `HUDDLE_DATABASE_URL`; `nil` for the SQLite file in the data directory.
        package var databaseURL: String?
        /// `HUDDLE_PUBLISHER_ID`; `nil` for the id stored in the database.
        package var publisherID: String?
        /// Where the replay endpoint listens.
        package var replayBind: String
        /// The host advertised for the replay endpoint; `nil` to derive it from the bind address.
        package var replayAdvertiseHost: String?

        /// Creates storage settings.
        package init(
            databaseURL: String? = nil,
            publisherID: String? = nil,
            replayBind: String = Defaults.replayBind,
            replayAdvertiseHost: String? = nil
        ) {
            self.databaseURL = databaseURL
            self.publisherID = publisherID
            self.replayBind = replayBind
            self.replayAdvertiseHost = replayAdvertiseHost
        }
    }

    /// The ZeroMQ endpoints a service uses to reach the bus.
    package struct Bus: Sendable, Equatable {
        /// Where the service publishes (the bus's XSUB side).
        package var publishEndpoint: String
        /// Where the service subscribes (the bus's XPUB side).
        package var subscribeEndpoint: String

        /// Creates bus client settings.
        package init(publishEndpoint: String, subscribeEndpoint: String) {
            self.publishEndpoint = publishEndpoint
            self.subscribeEndpoint = subscribeEndpoint
        }
    }

    /// The ZeroMQ endpoints the bus proxy binds; only `huddle-bus` reads them.
    package struct BusProxy: Sendable, Equatable {
        /// The XSUB endpoint publishers connect to.
        package var xsubBind: String
        /// The XPUB endpoint subscribers connect to.
        package var xpubBind: String
        /// Messages queued per peer on each side before PUB semantics drop them.
        package var highWaterMark: Int32

        /// Creates bus proxy settings.
        package init(xsubBind: String, xpubBind: String, highWaterMark: Int32 = Defaults.busHighWaterMark) {
            self.xsubBind = xsubBind
            self.xpubBind = xpubBind
            self.highWaterMark = highWaterMark
        }
    }

    /// The service this configuration belongs to.
    package var service: ServiceName
    /// The HTTP server's address.
    package var http: HTTP
    /// Log level and format.
    package var logging: Logging
    /// The directory for the service's own data files (not created here).
    package var dataDirectory: String
    /// The database and the outbox's replay endpoint.
    package var storage: Storage
    /// The bus endpoints the service connects to.
    package var bus: Bus
    /// The bus proxy's bind endpoints: set for ``ServiceName/bus``, `nil` for every other service.
    package var busProxy: BusProxy?
    /// The process that must stay this service's parent, or `nil` to run independently.
    package var parentProcessID: Int32?

    /// Creates a configuration from explicit values; the defaults are those of the configuration table.
    package init(
        service: ServiceName,
        http: HTTP? = nil,
        logging: Logging = Logging(level: .info, format: .json),
        dataDirectory: String = Defaults.dataDirectory,
        storage: Storage = Storage(),
        bus: Bus = Bus(publishEndpoint: Defaults.busPublishEndpoint, subscribeEndpoint: Defaults.busSubscribeEndpoint),
        busProxy: BusProxy? = nil,
        parentProcessID: Int32? = nil
    ) {
        self.service = service
        self.http = http ?? HTTP(host: Defaults.httpHost, port: service.defaultHTTPPort)
        self.logging = logging
        self.dataDirectory = dataDirectory
        self.storage = storage
        self.bus = bus
        self.busProxy =
            busProxy
            ?? (service == .bus ? BusProxy(xsubBind: Defaults.busXSubBind, xpubBind: Defaults.busXPubBind) : nil)
        self.parentProcessID = parentProcessID
    }

    /// The defaults of the configuration table (the HTTP port's default is per service: ``ServiceName/defaultHTTPPort``).
    package enum Defaults {
        /// `HUDDLE_HTTP_HOST`: loopback only, so a developer machine exposes nothing by accident.
        package static let httpHost = "127.0.0.1"
        /// `HUDDLE_LOG_LEVEL`.
        package static let logLevel = Logger.Level.info
        /// `HUDDLE_LOG_FORMAT`.
        package static let logFormat = LogFormat.json
        /// `HUDDLE_DATA_DIR`.
        package static let dataDirectory = "./.data"
        /// `HUDDLE_REPLAY_BIND`: loopback, any free port.
        package static let replayBind = "tcp://127.0.0.1:0"
        /// `HUDDLE_BUS_PUBLISH_ENDPOINT`.
        package static let busPublishEndpoint = "tcp://127.0.0.1:5550"
        /// `HUDDLE_BUS_SUBSCRIBE_ENDPOINT`.
        package static let busSubscribeEndpoint = "tcp://127.0.0.1:5551"
        /// `HUDDLE_BUS_XSUB_BIND`.
        package static let busXSubBind = "tcp://*:5550"
        /// `HUDDLE_BUS_HIGH_WATER_MARK`.
        package static let busHighWaterMark: Int32 = 100_000
        /// `HUDDLE_BUS_XPUB_BIND`.
        package static let busXPubBind = "tcp://*:5551"
    }
}
