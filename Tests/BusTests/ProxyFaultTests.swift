import Foundation
import TestDeadlines
import TestSupport
import Testing

extension BusReliabilityTests {
    @Test("the proxy restarted mid-stream: the consumer still applies everything once", arguments: Backend.allCases)
    func proxyRestartedMidStream(_ backend: Backend) async throws {
        let total = 40_000
        var rig = try await BusRig.start(backend)
        let (consumer, consumerDatabase) = try await rig.consumer("consumer", expect: total)
        try await consumer.wait(for: "consuming", timeout: .seconds(30))
        let (publisher, _) = try await rig.publisher(total: total, ["--rate", "10000"])
        let midway = await eventually(timeout: .seconds(60), poll: .milliseconds(20)) {
            publisher.latest("published") >= 10_000
        }
        try #require(midway, "the publisher never got a quarter of the way\n\(publisher.process.report)")
        rig.proxies[0].process.kill()
        _ = await rig.proxies[0].process.waitForExit(timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(500))
        rig.proxies[0] = try rig.proxies[0].restarted()
        try await rig.proxies[0].ready()

        // What was in flight in the killed proxy, or sent while it was down, comes back by replay.
        try await consumer.wait(for: "done", timeout: .seconds(240))
        let applied = try await AppliedEvents.read(consumerDatabase)
        #expect(applied.applications == total && applied.distinct == total)
        publisher.process.terminate()
    }

    @Test("two proxies at once: every event arrives twice and is applied once", arguments: Backend.allCases)
    func twoProxiesApplyOnce(_ backend: Backend) async throws {
        let total = 20_000
        let rig = try await BusRig.start(backend, proxies: 2)
        let (consumer, consumerDatabase) = try await rig.consumer("consumer", expect: total)
        try await consumer.wait(for: "consuming", timeout: .seconds(30))
        let (publisher, _) = try await rig.publisher(total: total)
        let done = try await consumer.wait(for: "done", timeout: .seconds(240))
        #expect((done["duplicates"] as? Int ?? 0) > 0, "the second proxy's copies arrived and were dropped")
        let applied = try await AppliedEvents.read(consumerDatabase)
        #expect(applied.applications == total && applied.distinct == total)
        publisher.process.terminate()
    }
}
