/// The Huddle executables that run as long-lived services.
///
/// The order of `allCases` is the order of their default HTTP ports (8080 upwards), which is also the order
/// `huddle up --http-port-base` uses to lay them out.
package enum ServiceName: String, CaseIterable, Sendable, Hashable {
    case reporting
    case accounts
    case signals
    case coaching
    case bus

    /// The executable's file name, e.g. `huddle-accounts`; also the `service` field of logs and `/health`.
    package var executableName: String { "huddle-\(rawValue)" }

    /// The HTTP port the service listens on when `HUDDLE_HTTP_PORT` is not set.
    package var defaultHTTPPort: Int { Self.firstDefaultHTTPPort + portOffset }

    /// The service's distance from the first port of a block of consecutive ports (reporting 0 … bus 4).
    package var portOffset: Int { Self.allCases.firstIndex(of: self)! }

    /// The first of the five consecutive default HTTP ports (`huddle-reporting`'s).
    package static let firstDefaultHTTPPort = 8080
}
