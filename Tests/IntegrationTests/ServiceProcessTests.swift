import Foundation
import TestDeadlines
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Service executables as real processes", .timeLimit(.minutes(2)))
struct ServiceProcessTests {
    @Test(
        "each service answers /health with its name and exits 0 soon after SIGTERM or SIGINT",
        arguments: serviceExecutables,
        [SIGTERM, SIGINT]
    )
    func healthThenGracefulStop(executable: String, signal: Int32) async throws {
        let service = try RunningService(executable)
        let answered = await eventually(timeout: .seconds(30)) { await service.health() != nil }
        try #require(answered, "no /health answer within 30 s\n\(service.process.report)")
        #expect(await service.health() == HealthBody(status: "ok", service: executable))
        // Ready once its database is migrated (the bus: once both sides are bound).
        let ready = await eventually(timeout: .seconds(30)) { await service.ready()?.status == "ready" }
        let answer = await service.ready()
        #expect(ready, "not ready within 30 s: \(answer.map { "\($0)" } ?? "no answer")\n\(service.process.report)")
        #expect(answer?.checks.keys.sorted() == [executable == "huddle-bus" ? "proxy" : "database"])

        service.process.send(signal: signal)
        let exit = await service.process.waitForExit(timeout: .seconds(10))
        #expect(exit == .exited(0), "\(service.process.report)")
        let log = service.process.logText
        #expect(log.contains("\"msg\":\"listening\""), "\(service.process.report)")
        #expect(log.contains("\"msg\":\"stopped\""), "\(service.process.report)")
        #expect(await HTTPProbe.answers(url: service.healthURL) == false)
    }

    @Test("every log line a service writes is one JSON object naming the service", arguments: ["huddle-coaching"])
    func logLinesAreJSON(executable: String) async throws {
        let service = try RunningService(executable)
        try #require(
            await eventually(timeout: .seconds(30)) { await service.health() != nil },
            "\(service.process.report)"
        )
        service.process.terminate()
        #expect(await service.process.waitForExit(timeout: .seconds(10)) == .exited(0), "\(service.process.report)")
        let lines = service.process.logText.split(separator: "\n")
        #expect(lines.count >= 3, "\(service.process.report)")
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["service"] as? String == executable, "not a JSON log line: \(line)")
            #expect(object?["ts"] is String && object?["level"] is String && object?["msg"] is String)
        }
    }

    @Test(
        "an invalid value makes a service exit with status 78 and a line naming the variable",
        arguments: serviceExecutables
    )
    func invalidPort(executable: String) async throws {
        let service = try RunningService(executable, environment: ["HUDDLE_HTTP_PORT": "70000"])
        let exit = await service.process.waitForExit(timeout: .seconds(10))
        #expect(exit == .exited(78), "\(service.process.report)")
        #expect(
            service.process.logText.contains(#"HUDDLE_HTTP_PORT: must be an integer from 1 to 65535 (got \"70000\")"#),
            "\(service.process.report)"
        )
    }

    @Test(
        "each kind of invalid variable is named in the error",
        arguments: [
            ("HUDDLE_LOG_LEVEL", "chatty"),
            ("HUDDLE_LOG_FORMAT", "xml"),
            ("HUDDLE_HTTP_HOST", ""),
            ("HUDDLE_BUS_PUBLISH_ENDPOINT", "localhost:5550"),
            ("HUDDLE_BUS_XPUB_BIND", "tcp://*:port"),
        ]
    )
    func invalidVariable(variable: String, value: String) async throws {
        let service = try RunningService("huddle-bus", environment: [variable: value])
        #expect(await service.process.waitForExit(timeout: .seconds(10)) == .exited(78), "\(service.process.report)")
        #expect(service.process.logText.contains("\(variable): must be"), "\(service.process.report)")
    }

    @Test("a port already in use makes the service exit non-zero with the reason in its log")
    func portInUse() async throws {
        let first = try RunningService("huddle-accounts")
        try #require(await eventually(timeout: .seconds(30)) { await first.health() != nil }, "\(first.process.report)")
        let second = try ChildProcess(
            executable: try BuiltProducts.executable("huddle-signals"),
            environment: testEnvironment.merging([
                "HUDDLE_HTTP_PORT": String(first.port), "HUDDLE_PARENT_PID": String(getpid()),
            ]) { _, new in new }
        )
        let exit = await second.waitForExit(timeout: .seconds(10))
        #expect(exit == .exited(1), "\(second.report)")
        #expect(second.logText.contains("Address already in use"), "\(second.report)")
        #expect(await first.health()?.service == "huddle-accounts")
    }

    @Test("a service whose parent is not the one named in HUDDLE_PARENT_PID shuts itself down")
    func parentWatch() async throws {
        // The test runner is the real parent, so naming any other process means "my parent is gone".
        let service = try RunningService("huddle-reporting", environment: ["HUDDLE_PARENT_PID": String(getpid() + 1)])
        let exit = await service.process.waitForExit(timeout: .seconds(15))
        #expect(exit == .exited(0), "\(service.process.report)")
        #expect(service.process.logText.contains("parent process is gone"), "\(service.process.report)")
    }
}
