import Foundation
import TestDeadlines
import TestSupport
import Testing

/// Multi-process proofs of the bus's promise — nothing lost, nothing applied twice — with real
/// `huddle-bus` proxies, real probe publisher and consumer processes, and real SQLite files or a
/// real PostgreSQL server. One test at a time: they load both cores.
@Suite("Bus reliability", .serialized)
struct BusReliabilityTests {
    @Test(
        "kill -9 of a consumer mid-stream: after a restart its state equals a consumer's that saw no fault",
        arguments: Backend.allCases
    )
    func consumerKilledMidStream(_ backend: Backend) async throws {
        let total = 100_000
        let rig = try await BusRig.start(backend)
        let (reference, referenceDatabase) = try await rig.consumer("reference", expect: total)
        let (victim, victimDatabase) = try await rig.consumer("victim", expect: total)
        try await reference.wait(for: "consuming", timeout: .seconds(30))
        try await victim.wait(for: "consuming", timeout: .seconds(30))
        let (publisher, _) = try await rig.publisher(total: total)

        let midway = await eventually(timeout: .seconds(180), poll: .milliseconds(20)) {
            victim.latest("applied") >= 30_000 || !victim.process.isRunning
        }
        try #require(
            midway && victim.process.isRunning,
            "the victim never got a third of the way\n\(victim.process.report)"
        )
        victim.process.kill()
        _ = await victim.process.waitForExit(timeout: .seconds(10))
        let revived = try victim.restarted()
        let resumedAt = try await revived.wait(for: "consuming", timeout: .seconds(30))["applied"] as? Int ?? 0
        #expect(resumedAt > 0 && resumedAt < total, "the restart resumes from what was committed")

        try await revived.wait(for: "done", timeout: .seconds(300))
        try await reference.wait(for: "done", timeout: .seconds(300))
        let expected = try await AppliedEvents.read(referenceDatabase)
        let recovered = try await AppliedEvents.read(victimDatabase)
        #expect(expected.applications == total && expected.distinct == total)
        #expect(recovered.applications == total, "no loss and no double application")
        #expect(recovered.distinct == total)
        #expect(recovered == expected, "the same events, with the same ids and seqs")
        publisher.process.terminate()
    }

    @Test(
        "kill -9 of the publisher mid-stream: seq stays gap-free after a restart and consumers complete",
        arguments: Backend.allCases
    )
    func publisherKilledMidStream(_ backend: Backend) async throws {
        let total = 40_000
        let rig = try await BusRig.start(backend)
        let (consumer, consumerDatabase) = try await rig.consumer("consumer", expect: total)
        try await consumer.wait(for: "consuming", timeout: .seconds(30))
        let (publisher, publisherDatabase) = try await rig.publisher(total: total, ["--rate", "15000"])
        let midway = await eventually(timeout: .seconds(60), poll: .milliseconds(20)) {
            publisher.latest("published") >= 10_000 || !publisher.process.isRunning
        }
        try #require(
            midway && publisher.process.isRunning,
            "the publisher never got a quarter of the way\n\(publisher.process.report)"
        )
        publisher.process.kill()
        _ = await publisher.process.waitForExit(timeout: .seconds(10))
        let revived = try publisher.restarted()
        let resumedAt = try await revived.wait(for: "publishing", timeout: .seconds(30))["published"] as? Int ?? 0
        #expect(resumedAt >= 10_000 && resumedAt < total)

        try await consumer.wait(for: "done", timeout: .seconds(240))
        let outbox = try await OutboxStreams.read(publisherDatabase)
        #expect(outbox.holes.isEmpty, "every stream runs 1...n: \(outbox.holes.prefix(5))")
        #expect(outbox.events == total)
        let applied = try await AppliedEvents.read(consumerDatabase)
        #expect(applied.applications == total && applied.distinct == total)
        revived.process.terminate()
    }

    @Test("a consumer started after 50,000 events were published catches up fully", arguments: Backend.allCases)
    func slowJoinerCatchesUp(_ backend: Backend) async throws {
        let total = 50_000
        let rig = try await BusRig.start(backend)
        let (publisher, _) = try await rig.publisher(total: total)
        try await publisher.wait(for: "published", timeout: .seconds(180))
        let (consumer, consumerDatabase) = try await rig.consumer("late", expect: total)
        let done = try await consumer.wait(for: "done", timeout: .seconds(240))
        #expect((done["replays"] as? Int ?? 0) > 0, "caught up by replay")
        let applied = try await AppliedEvents.read(consumerDatabase)
        #expect(applied.applications == total && applied.distinct == total)
        publisher.process.terminate()
    }

    @Test(
        "a consumer with a tiny receive high-water mark loses messages to PUB yet ends complete, memory bounded",
        arguments: Backend.allCases
    )
    func tinyHighWaterMarkEndsComplete(_ backend: Backend) async throws {
        let total = 30_000
        let rig = try await BusRig.start(backend, highWaterMark: 50)
        let (consumer, consumerDatabase) = try await rig.consumer(
            "tiny",
            expect: total,
            ["--receive-high-water-mark", "10", "--receive-queue", "16", "--early-capacity", "500"]
        )
        try await consumer.wait(for: "consuming", timeout: .seconds(30))
        let (publisher, _) = try await rig.publisher(total: total)
        let done = try await consumer.wait(for: "done", timeout: .seconds(240))
        #expect((done["gaps"] as? Int ?? 0) > 0, "the bus dropped messages, and the consumer saw the gaps")
        #expect((done["max_rss_kb"] as? Int ?? .max) < 120_000, "memory stayed bounded (peak RSS in KiB): \(done)")
        let applied = try await AppliedEvents.read(consumerDatabase)
        #expect(applied.applications == total && applied.distinct == total)
        publisher.process.terminate()
    }
}
