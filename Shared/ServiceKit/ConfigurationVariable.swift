/// Every environment variable the Huddle services read: the one table of names, defaults and meanings.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `HUDDLE_HTTP_HOST` | `127.0.0.1` | address the HTTP server binds; `0.0.0.0` in containers |
/// | `HUDDLE_HTTP_PORT` | reporting 8080, accounts 8081, signals 8082, coaching 8083, bus 8084 | HTTP port, 1–65535 |
/// | `HUDDLE_LOG_LEVEL` | `info` | `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical` |
/// | `HUDDLE_LOG_FORMAT` | `json` | `json` (one object per line on stderr) or `text` |
/// | `HUDDLE_DATA_DIR` | `./.data` | directory that holds the service's own data files |
/// | `HUDDLE_DATABASE_URL` | unset: SQLite at `<data dir>/<service>.sqlite` | `postgres://user[:password]@host[:port]/database` or `sqlite:PATH` |
/// | `HUDDLE_PUBLISHER_ID` | generated once, stored in the database | the service's stable publisher id; give each replica its own when replicas share a PostgreSQL database |
/// | `HUDDLE_REPLAY_BIND` | `tcp://127.0.0.1:0` (any free port) | where the service's replay endpoint listens |
/// | `HUDDLE_REPLAY_ADVERTISE_HOST` | the bind host, or this machine's host name when binding all interfaces | the host consumers reach the replay endpoint at (sent in heartbeats) |
/// | `HUDDLE_BUS_PUBLISH_ENDPOINT` | `tcp://127.0.0.1:5550` | where services publish events (the bus's XSUB side) |
/// | `HUDDLE_BUS_SUBSCRIBE_ENDPOINT` | `tcp://127.0.0.1:5551` | where services subscribe to events (the bus's XPUB side) |
/// | `HUDDLE_BUS_XSUB_BIND` | `tcp://*:5550` | `huddle-bus` only: the endpoint publishers connect to |
/// | `HUDDLE_BUS_XPUB_BIND` | `tcp://*:5551` | `huddle-bus` only: the endpoint subscribers connect to |
/// | `HUDDLE_BUS_HIGH_WATER_MARK` | `100000` | `huddle-bus` only: messages queued per peer before PUB semantics drop (consumers then replay) |
/// | `HUDDLE_PARENT_PID` | unset | when set, the service shuts down once that process is no longer its parent |
///
/// `huddle up` also reads `HUDDLE_BIN_DIR` (where the service executables are; default: next to `huddle`).
package enum ConfigurationVariable: String, CaseIterable, Sendable {
    case httpHost = "HUDDLE_HTTP_HOST"
    case httpPort = "HUDDLE_HTTP_PORT"
    case logLevel = "HUDDLE_LOG_LEVEL"
    case logFormat = "HUDDLE_LOG_FORMAT"
    case dataDirectory = "HUDDLE_DATA_DIR"
    case databaseURL = "HUDDLE_DATABASE_URL"
    case publisherID = "HUDDLE_PUBLISHER_ID"
    case replayBind = "HUDDLE_REPLAY_BIND"
    case replayAdvertiseHost = "HUDDLE_REPLAY_ADVERTISE_HOST"
    case busPublishEndpoint = "HUDDLE_BUS_PUBLISH_ENDPOINT"
    case busSubscribeEndpoint = "HUDDLE_BUS_SUBSCRIBE_ENDPOINT"
    case busXSubBind = "HUDDLE_BUS_XSUB_BIND"
    case busXPubBind = "HUDDLE_BUS_XPUB_BIND"
    case busHighWaterMark = "HUDDLE_BUS_HIGH_WATER_MARK"
    case parentProcessID = "HUDDLE_PARENT_PID"

    /// The variable's name, e.g. `HUDDLE_HTTP_PORT`.
    package var name: String { rawValue }

    /// The swift-configuration key that the environment provider maps to this variable's name.
    ///
    /// The provider upper-cases the key's components and joins them with `_`, so `huddle.http.port` is read
    /// from `HUDDLE_HTTP_PORT`.
    package var key: [String] { rawValue.lowercased().split(separator: "_").map(String.init) }
}
