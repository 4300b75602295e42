import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@Suite("Probing /health over a socket", .timeLimit(.minutes(1)))
struct HealthProbeTests {
    @Test("a port nobody listens on is reported unreachable, quickly")
    func unreachable() async {
        // Port 1 (tcpmux) is privileged and unused on these machines: the connection is refused at once.
        let started = ContinuousClock.now
        let outcome = await HealthProbe.check(host: "127.0.0.1", port: 1, timeout: .seconds(2))
        guard case .unreachable(let reason) = outcome else {
            Issue.record("expected unreachable, got \(outcome)")
            return
        }
        #expect(reason.contains("127.0.0.1:1"))
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test("a live service answers as itself, and a streamed body arrives whole")
    func healthyLiveService() async throws {
        let router = HuddleService.makeRouter(for: ServiceConfiguration(service: .signals))
        router.get("stream") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "chunk one, "))
                    try await writer.write(ByteBuffer(string: "chunk two"))
                    try await writer.finish(nil)
                }
            )
        }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let outcome = await HealthProbe.check(host: "localhost", port: port, timeout: .seconds(5))
            guard case .healthy(let status) = outcome else {
                Issue.record("expected healthy, got \(outcome)")
                return
            }
            #expect(status.service == "huddle-signals")
            #expect(status.status == "ok")

            let streamed = try await HTTPGet.get(host: "localhost", port: port, path: "/stream", timeout: .seconds(5))
            #expect(streamed.status == 200)
            #expect(streamed.headers.contains { $0.name == "transfer-encoding" && $0.value == "chunked" })
            #expect(streamed.bodyText == "chunk one, chunk two")
        }
    }

    @Test("a server without a Huddle /health is reported as unexpected, with its status")
    func notHuddle() async throws {
        try await Application(router: Router()).test(.live) { client in
            let port = try #require(client.port)
            let outcome = await HealthProbe.check(host: "localhost", port: port, timeout: .seconds(5))
            guard case .unexpected(let text) = outcome else {
                Issue.record("expected unexpected, got \(outcome)")
                return
            }
            #expect(text.hasPrefix("status 404"))
        }
    }

    @Test(
        "wildcard binds are probed through loopback",
        arguments: [
            ("0.0.0.0", "127.0.0.1"), ("::", "::1"), ("127.0.0.1", "127.0.0.1"), ("10.1.2.3", "10.1.2.3"),
        ]
    )
    func probeHost(bind: String, probe: String) {
        #expect(HealthProbe.probeHost(forBindHost: bind) == probe)
    }
}
