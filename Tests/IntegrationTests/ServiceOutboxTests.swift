import Foundation
import TestDeadlines
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Each service's database and outbox relay", .timeLimit(.minutes(2)))
struct ServiceOutboxTests {
    @Test(
        "a service migrates its own SQLite file, heart-beats on the bus and reports it at /metrics",
        arguments: ["huddle-accounts", "huddle-signals", "huddle-coaching", "huddle-reporting"]
    )
    func outboxRunsInEveryService(executable: String) async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("huddle-outbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let service = try RunningService(executable, environment: ["HUDDLE_DATA_DIR": dataDirectory])
        let metricsURL = "http://127.0.0.1:\(service.port)/metrics"
        let beating = await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
            let body = (try? await HTTPProbe.get(url: metricsURL))?.body ?? ""
            return body.contains("huddle_bus_heartbeats_total{publisher=\"huddle-")
        }
        #expect(beating, "no heartbeat counted at /metrics\n\(service.process.report)")
        let name = executable.replacingOccurrences(of: "huddle-", with: "")
        #expect(FileManager.default.fileExists(atPath: "\(dataDirectory)/\(name).sqlite"))
        #expect(service.process.logText.contains("\"msg\":\"relay started\""), "\(service.process.report)")

        service.process.terminate()
        #expect(await service.process.waitForExit(timeout: .seconds(10)) == .exited(0), "\(service.process.report)")
    }

    @Test("an invalid database URL makes a service exit with status 78 naming the variable")
    func invalidDatabaseURL() async throws {
        let service = try RunningService("huddle-accounts", environment: ["HUDDLE_DATABASE_URL": "mysql://x"])
        #expect(await service.process.waitForExit(timeout: .seconds(10)) == .exited(78))
        #expect(
            service.process.logText.contains("HUDDLE_DATABASE_URL: must be postgres://"),
            "\(service.process.report)"
        )
    }
}
