import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Testing

@Suite("GET /health", .timeLimit(.minutes(1)))
struct HealthRouteTests {
    private func decode(_ response: TestResponse) throws -> HealthStatus {
        try JSONDecoder().decode(HealthStatus.self, from: Data(response.body.readableBytesView))
    }

    @Test("every service's router answers 200 with its own name", arguments: ServiceName.allCases)
    func health(service: ServiceName) async throws {
        let configuration = ServiceConfiguration(service: service)
        let application = Application(router: HuddleService.makeRouter(for: configuration))
        try await application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let status = try decode(response)
                #expect(status.status == "ok")
                #expect(status.service == "huddle-\(service.rawValue)")
                #expect(status.version == HuddleVersion.current)
                #expect(status.uptimeSeconds >= 0)
            }
        }
    }

    @Test("the assembled service serves /health and nothing else yet")
    func assembledService() async throws {
        let configuration = ServiceConfiguration(service: .reporting)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let service = HuddleService(
            configuration: configuration,
            router: HuddleService.makeRouter(for: configuration),
            logger: logger
        )
        try await service.application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let status = try decode(response)
                #expect(status.service == "huddle-reporting")
            }
            try await client.execute(uri: "/accounts", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("uptime counts from the instant the route was added")
    func uptime() async throws {
        let router = Router()
        router.addHealthRoute(service: .coaching, startedAt: .now - .seconds(90))
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                let uptime = try decode(response).uptimeSeconds
                #expect((90...95).contains(uptime))
            }
        }
    }
}
