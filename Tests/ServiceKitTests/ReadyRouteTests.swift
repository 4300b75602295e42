import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@Suite("GET /ready", .timeLimit(.minutes(1)))
struct ReadyRouteTests {
    private func get(_ readiness: Readiness) async throws -> (HTTPResponse.Status, ReadinessStatus) {
        let router = Router()
        router.addReadyRoute(readiness, service: .accounts)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                (
                    response.status,
                    try JSONDecoder().decode(ReadinessStatus.self, from: Data(response.body.readableBytesView))
                )
            }
        }
    }

    @Test("every service's router answers 200 while it has no checks", arguments: ServiceName.allCases)
    func readyWithoutChecks(service: ServiceName) async throws {
        let application = Application(router: HuddleService.makeRouter(for: ServiceConfiguration(service: service)))
        try await application.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let status = try JSONDecoder().decode(ReadinessStatus.self, from: Data(response.body.readableBytesView))
                #expect(status == ReadinessStatus(service: "huddle-\(service.rawValue)", results: [:]))
                #expect(status.status == "ready")
            }
        }
    }

    @Test("one failing check makes it 503, naming that check and its reason")
    func failingCheck() async throws {
        let readiness = Readiness()
        readiness.add("database") { nil }
        readiness.add("consumer signals") { "catching up: 20000 events behind (more than 10000)" }
        let (status, body) = try await get(readiness)
        #expect(status == .serviceUnavailable)
        #expect(body.status == "not ready")
        #expect(body.service == "huddle-accounts")
        #expect(
            body.checks == ["database": "ok", "consumer signals": "catching up: 20000 events behind (more than 10000)"]
        )
    }

    @Test("every check passing makes it 200")
    func passingChecks() async throws {
        let readiness = Readiness()
        readiness.add("database") { nil }
        readiness.add("proxy") { nil }
        let (status, body) = try await get(readiness)
        #expect(status == .ok)
        #expect(body.checks == ["database": "ok", "proxy": "ok"])
    }

    @Test("a check that does not answer in time fails, and /ready still answers")
    func hungCheck() async throws {
        let readiness = Readiness(timeout: .milliseconds(200))
        readiness.add("database") {
            try? await Task.sleep(for: .seconds(30))
            return nil
        }
        let clock = ContinuousClock()
        let start = clock.now
        let (status, body) = try await get(readiness)
        #expect(clock.now - start < .seconds(10))
        #expect(status == .serviceUnavailable)
        #expect(body.checks["database"]?.hasPrefix("no answer within") == true)
    }
}
