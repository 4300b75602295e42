import Foundation
import TestDeadlines
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A `huddle-bus-probe` process and the JSON lines it prints.
struct ProbeProcess {
    let process: ChildProcess
    let arguments: [String]

    init(_ arguments: [String], name: String) throws {
        self.arguments = arguments
        process = try ChildProcess(
            executable: try BuiltProducts.executable("huddle-bus-probe"),
            arguments: arguments,
            name: name
        )
    }

    /// Starts the same command again (after a kill), sharing its database.
    func restarted() throws -> ProbeProcess {
        try ProbeProcess(arguments, name: process.name)
    }

    /// Every JSON line printed so far, decoded.
    var lines: [[String: Any]] {
        process.logText.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{\"") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// The last line of `event`.
    func last(_ event: String) -> [String: Any]? {
        lines.last { $0["event"] as? String == event }
    }

    /// An integer field of the last line of `event`, or 0.
    func latest(_ field: String, of event: String = "progress") -> Int {
        (last(event)?[field] as? NSNumber)?.intValue ?? 0
    }

    /// Waits for a line of `event`, failing after `timeout` with the process's log.
    @discardableResult
    func wait(for event: String, timeout: Duration) async throws -> [String: Any] {
        guard
            await eventually(timeout: timeout, poll: .milliseconds(100), { last(event) != nil || !process.isRunning }),
            let line = last(event)
        else {
            throw TimedOut(description: "no \"\(event)\" line within \(timeout)\n\(process.report)")
        }
        return line
    }
}

/// A `huddle-bus` proxy on free ports.
struct BusProxyProcess {
    let process: ChildProcess
    let xsub: String
    let xpub: String
    let httpPort: Int

    init(xsub: String? = nil, xpub: String? = nil, highWaterMark: Int? = nil) throws {
        self.xsub = try xsub ?? "tcp://127.0.0.1:\(FreePort.next())"
        self.xpub = try xpub ?? "tcp://127.0.0.1:\(FreePort.next())"
        httpPort = try FreePort.next()
        var environment = [
            "HUDDLE_HTTP_HOST": "127.0.0.1", "HUDDLE_HTTP_PORT": String(httpPort), "HUDDLE_LOG_LEVEL": "warning",
            "HUDDLE_BUS_XSUB_BIND": self.xsub, "HUDDLE_BUS_XPUB_BIND": self.xpub,
            "HUDDLE_PARENT_PID": String(getpid()),
        ]
        if let highWaterMark { environment["HUDDLE_BUS_HIGH_WATER_MARK"] = String(highWaterMark) }
        process = try ChildProcess(executable: try BuiltProducts.executable("huddle-bus"), environment: environment)
    }

    /// Waits until the proxy answers `/health`.
    func ready() async throws {
        let url = "http://127.0.0.1:\(httpPort)/health"
        guard await eventually(timeout: .seconds(20), { await HTTPProbe.answers(url: url) }) else {
            throw TimedOut(description: "huddle-bus did not answer \(url)\n\(process.report)")
        }
    }

    /// The same proxy again, on the same endpoints.
    func restarted() throws -> BusProxyProcess {
        try BusProxyProcess(xsub: xsub, xpub: xpub)
    }
}
