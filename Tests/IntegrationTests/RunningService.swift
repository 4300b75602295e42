import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The executables of the five services, in the order of their default ports.
let serviceExecutables = ["huddle-reporting", "huddle-accounts", "huddle-signals", "huddle-coaching", "huddle-bus"]

/// Settings every process started by these tests gets, so that a developer's own `HUDDLE_*` variables (a text log
/// format, a different host) cannot change what the tests observe.
let testEnvironment = [
    "HUDDLE_HTTP_HOST": "127.0.0.1",
    "HUDDLE_LOG_LEVEL": "info",
    "HUDDLE_LOG_FORMAT": "json",
    "HUDDLE_DATA_DIR": FileManager.default.temporaryDirectory.path + "/huddle-integration-data",
]

/// Bind endpoints on two free ports for a `huddle-bus` started by a test, so that it collides
/// neither with other tests nor with a Huddle running on this machine (5550/5551).
func busBindEnvironment() throws -> [String: String] {
    [
        "HUDDLE_BUS_XSUB_BIND": "tcp://127.0.0.1:\(try FreePort.next())",
        "HUDDLE_BUS_XPUB_BIND": "tcp://127.0.0.1:\(try FreePort.next())",
    ]
}

/// The body of `GET /health`, as far as these tests look at it.
struct HealthBody: Decodable, Equatable {
    var status: String
    var service: String
}

/// The body of `GET /ready`, as far as these tests look at it.
struct ReadyBody: Decodable, Equatable {
    var status: String
    var checks: [String: String]
}

/// One service executable started by a test on a port of its own.
struct RunningService {
    let executable: String
    let port: Int
    let process: ChildProcess

    /// Starts `executable` on a free port, with `environment` on top of the test runner's own.
    ///
    /// `HUDDLE_PARENT_PID` is set to the test runner, so that even a runner killed outright leaves no service
    /// behind.
    init(_ executable: String, environment: [String: String] = [:]) throws {
        self.executable = executable
        self.port = try FreePort.next()
        var defaults = testEnvironment.merging([
            "HUDDLE_HTTP_PORT": String(port),
            "HUDDLE_PARENT_PID": String(getpid()),
        ]) { _, new in new }
        if executable == "huddle-bus" { defaults.merge(try busBindEnvironment()) { _, new in new } }
        process = try ChildProcess(
            executable: try BuiltProducts.executable(executable),
            environment: defaults.merging(environment) { _, new in new }
        )
    }

    var healthURL: String { "http://127.0.0.1:\(port)/health" }

    /// The decoded `/health` body, or `nil` while the service does not answer with one.
    func health() async -> HealthBody? {
        await Self.health(at: healthURL)
    }

    /// The decoded `/ready` body (200 or 503), or `nil` while the service does not answer with one.
    func ready() async -> ReadyBody? {
        guard let response = try? await HTTPProbe.get(url: "http://127.0.0.1:\(port)/ready", timeout: .seconds(5))
        else {
            return nil
        }
        return try? JSONDecoder().decode(ReadyBody.self, from: Data(response.body.utf8))
    }

    /// The decoded `/health` body at `url`, or `nil` when nothing answers there with 200 and a health body.
    static func health(at url: String) async -> HealthBody? {
        guard let response = try? await HTTPProbe.get(url: url, timeout: .seconds(2)), response.status == 200 else {
            return nil
        }
        return try? JSONDecoder().decode(HealthBody.self, from: Data(response.body.utf8))
    }
}
