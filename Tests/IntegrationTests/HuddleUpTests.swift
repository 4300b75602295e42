import Foundation
import TestDeadlines
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("huddle up with real service processes", .timeLimit(.minutes(2)))
struct HuddleUpTests {
    /// `huddle up` on five fresh consecutive ports.
    struct Up {
        let base: Int
        let cli: ChildProcess

        init(arguments: [String] = [], environment: [String: String] = [:]) throws {
            base = try FreePort.consecutive(serviceExecutables.count)
            cli = try ChildProcess(
                executable: try BuiltProducts.executable("huddle"),
                arguments: ["up", "--http-port-base", String(base)] + arguments,
                environment: testEnvironment.merging(try busBindEnvironment()) { _, new in new }
                    .merging(environment) { _, new in new }
            )
        }

        /// The `/health` URL of each service, in `serviceExecutables` order.
        var healthURLs: [String] {
            serviceExecutables.indices.map { "http://127.0.0.1:\(base + $0)/health" }
        }

        /// Whether every service answers `/health` with its own name.
        func allHealthy() async -> Bool {
            for (executable, url) in zip(serviceExecutables, healthURLs) {
                guard await RunningService.health(at: url)?.service == executable else { return false }
            }
            return true
        }

        /// Whether no service answers any more.
        func noneAnswers() async -> Bool {
            for url in healthURLs where await HTTPProbe.answers(url: url, timeout: .milliseconds(500)) {
                return false
            }
            return true
        }
    }

    @Test("huddle up brings all five services up, and SIGINT stops them all with exit status 0")
    func upThenInterrupt() async throws {
        let up = try Up()
        let healthy = await eventually(timeout: .seconds(60), poll: .milliseconds(200)) { await up.allHealthy() }
        try #require(healthy, "not all services became healthy\n\(up.cli.report)")
        // The table goes out once every service is healthy; its rows name each service's URL.
        let printedTable = await eventually(timeout: .seconds(5)) { up.cli.logText.contains("are healthy") }
        #expect(printedTable, "\(up.cli.report)")
        let rows = up.cli.logText.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for (index, executable) in serviceExecutables.enumerated() {
            let row = rows.first { $0.first == executable }
            #expect(row?.dropFirst().first == "http://127.0.0.1:\(up.base + index)", "\(up.cli.report)")
            #expect(row?.count == 3, "\(up.cli.report)")
        }

        up.cli.interrupt()
        let exit = await up.cli.waitForExit(timeout: .seconds(20))
        #expect(exit == .exited(0), "\(up.cli.report)")
        #expect(await up.noneAnswers(), "\(up.cli.report)")
        // Each child's own "stopped" line was forwarded before huddle exited.
        let log = up.cli.logText
        for executable in serviceExecutables {
            #expect(
                log.contains(#""service":"\#(executable)","label":"\#(executable)","msg":"stopped""#),
                "\(up.cli.report)"
            )
        }
    }

    @Test("SIGTERM to huddle up stops every service too")
    func upThenTerminate() async throws {
        let up = try Up()
        try #require(
            await eventually(timeout: .seconds(60), poll: .milliseconds(200)) { await up.allHealthy() },
            "\(up.cli.report)"
        )
        up.cli.terminate()
        #expect(await up.cli.waitForExit(timeout: .seconds(20)) == .exited(0), "\(up.cli.report)")
        #expect(await up.noneAnswers(), "\(up.cli.report)")
    }

    @Test("services stop by themselves when huddle up is killed with SIGKILL")
    func killedSupervisor() async throws {
        let up = try Up()
        try #require(
            await eventually(timeout: .seconds(60), poll: .milliseconds(200)) { await up.allHealthy() },
            "\(up.cli.report)"
        )
        up.cli.kill()
        #expect(await up.cli.waitForExit(timeout: .seconds(5)) == .signaled(SIGKILL))
        let stopped = await eventually(timeout: .seconds(15), poll: .milliseconds(200)) { await up.noneAnswers() }
        #expect(stopped, "services outlived huddle up\n\(up.cli.report)")
    }

    @Test("a service that ignores SIGTERM is killed at the shutdown deadline, and huddle still exits 0")
    func straggler() async throws {
        let up = try Up(arguments: ["--shutdown-timeout", "1"])
        try #require(
            await eventually(timeout: .seconds(60), poll: .milliseconds(200)) { await up.allHealthy() },
            "\(up.cli.report)"
        )
        // A stopped process cannot act on SIGTERM; only SIGKILL ends it.
        let busRow = up.cli.logText.split(separator: "\n").first { $0.hasPrefix("huddle-bus ") }
        let busPID = try #require(busRow?.split(separator: " ").last.flatMap { Int32($0) }, "\(up.cli.report)")
        #expect(kill(busPID, SIGSTOP) == 0)
        up.cli.interrupt()
        #expect(await up.cli.waitForExit(timeout: .seconds(15)) == .exited(0), "\(up.cli.report)")
        #expect(up.cli.logText.contains("killing: huddle-bus"), "\(up.cli.report)")
        #expect(await up.noneAnswers(), "\(up.cli.report)")
        #expect(kill(busPID, 0) == -1 && errno == ESRCH, "huddle-bus (pid \(busPID)) is still there")
    }

    @Test("a service that cannot start is named with its log, the others are stopped, and huddle exits non-zero")
    func failingService() async throws {
        // Another process already holds the port huddle-signals would get (base + 2), so it cannot bind.
        let base = try FreePort.consecutive(serviceExecutables.count)
        let squatter = try ChildProcess(
            executable: try BuiltProducts.executable("huddle-accounts"),
            environment: testEnvironment.merging([
                "HUDDLE_HTTP_PORT": String(base + 2), "HUDDLE_PARENT_PID": String(getpid()),
            ]) { _, new in new }
        )
        let squatterURL = "http://127.0.0.1:\(base + 2)/health"
        try #require(
            await eventually(timeout: .seconds(30)) { await RunningService.health(at: squatterURL) != nil },
            "\(squatter.report)"
        )
        let cli = try ChildProcess(
            executable: try BuiltProducts.executable("huddle"),
            arguments: ["up", "--http-port-base", String(base)],
            environment: testEnvironment.merging(try busBindEnvironment()) { _, new in new }
        )
        let exit = await cli.waitForExit(timeout: .seconds(60))
        #expect(exit == .exited(1), "\(cli.report)")
        let log = cli.logText
        #expect(log.contains("huddle up: huddle-signals exited with status 1"), "\(cli.report)")
        #expect(log.contains("Address already in use"), "\(cli.report)")
        for offset in [0, 1, 3, 4] {
            #expect(await HTTPProbe.answers(url: "http://127.0.0.1:\(base + offset)/health") == false, "\(cli.report)")
        }
        // The squatter was never huddle's to stop.
        #expect(await RunningService.health(at: squatterURL)?.service == "huddle-accounts")
    }

    @Test("missing service executables are named, with the directory searched")
    func missingExecutables() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-empty-bin-\(getpid())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let cli = try ChildProcess(
            executable: try BuiltProducts.executable("huddle"),
            arguments: ["up", "--bin-dir", empty.path, "--http-port-base", String(try FreePort.consecutive(5))]
        )
        #expect(await cli.waitForExit(timeout: .seconds(10)) == .exited(1), "\(cli.report)")
        #expect(cli.logText.contains("huddle-reporting, huddle-accounts"), "\(cli.report)")
        #expect(cli.logText.contains(empty.path), "\(cli.report)")
    }

    @Test(
        "huddle --help lists the up command, and an out-of-range port base is refused",
        arguments: [
            (["--help"], Int32(0), "up"),
            (["up", "--http-port-base", "65533"], Int32(64), "--http-port-base: must be from 1 to 65531"),
        ]
    )
    func commandLine(arguments: [String], status: Int32, text: String) async throws {
        let cli = try ChildProcess(executable: try BuiltProducts.executable("huddle"), arguments: arguments)
        #expect(await cli.waitForExit(timeout: .seconds(10)) == .exited(status), "\(cli.report)")
        #expect(cli.logText.contains(text), "\(cli.report)")
    }
}
