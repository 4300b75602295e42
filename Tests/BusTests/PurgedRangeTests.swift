import Foundation
import SQLKit
import Storage
import TestDeadlines
import TestSupport
import Testing

extension BusReliabilityTests {
    @Test(
        "a range purged before the consumer fetched it raises the alarm instead of being skipped",
        arguments: Backend.allCases
    )
    func purgedRangeRaisesAlarm(_ backend: Backend) async throws {
        let total = 5_000
        let rig = try await BusRig.start(backend)
        let (publisher, publisherDatabase) = try await rig.publisher(
            total: total,
            ["--retention-count", "100", "--purge-interval", "1"]
        )
        try await publisher.wait(for: "published", timeout: .seconds(120))
        let outbox = try await Backend.open(publisherDatabase)
        let purged = await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
            (try? await outbox.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM bus_outbox").first()!.decode(column: "n", as: Int.self)
            }) ?? .max <= 100
        }
        let streams = try await outbox.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM bus_outbox_streams").first()!.decode(column: "n", as: Int.self)
        }
        await outbox.close()
        try #require(purged, "retention did not purge the outbox\n\(publisher.process.report)")

        let (consumer, consumerDatabase) = try await rig.consumer("late", expect: total)
        let alarmed = await eventually(timeout: .seconds(60), poll: .milliseconds(100)) {
            consumer.latest("lost_ranges") == streams
        }
        #expect(alarmed, "every stream stopped at its purged range\n\(consumer.process.report)")
        try await Task.sleep(for: .seconds(1))
        #expect(consumer.latest("applied") == 0, "nothing after a purged range is applied")
        #expect(consumer.process.isRunning, "the consumer keeps running, alarmed")
        let notReady = consumer.last("progress")?["not_ready"] as? String ?? ""
        #expect(notReady.contains("stopped at \(streams) purged range"), "what /ready would say: \(notReady)")

        let database = try await Backend.open(consumerDatabase)
        let (lost, applied) = try await database.read { sql in
            (
                try await sql.raw("SELECT COUNT(*) AS n FROM bus_lost_ranges WHERE resolved_at IS NULL").first()!
                    .decode(column: "n", as: Int.self),
                try await sql.raw("SELECT COUNT(*) AS n FROM probe_applied").first()!.decode(column: "n", as: Int.self)
            )
        }
        await database.close()
        #expect(lost == streams)
        #expect(applied == 0)
        consumer.process.terminate()
        publisher.process.terminate()
    }
}
