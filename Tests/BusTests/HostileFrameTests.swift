import Foundation
import Messages
import SQLKit
import Storage
import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

extension BusReliabilityTests {
    @Test("hostile frames on the bus are counted, logged and parked; neither the consumer nor the proxy falls over")
    func hostileFramesAreRefused() async throws {
        let total = 2_000
        let rig = try await BusRig.start(.sqlite)
        let (consumer, consumerDatabase) = try await rig.consumer("consumer", expect: total)
        try await consumer.wait(for: "consuming", timeout: .seconds(30))

        let context = try Context()
        let attacker = try await AsyncSocket(context: context, type: .publish) { [xsub = rig.proxies[0].xsub] socket in
            try socket.setOption(.linger, .after(.zero))
            try socket.connect(xsub)
        }
        let topic = Array("signal.00.page-viewed".utf8)
        let unknownVersion = Array(
            """
            {"data":{"id":"x","kind":"page-viewed","occurredAt":"2026-11-25T00:00:00Z","properties":{},"source":"web"},\
            "datacontenttype":"application/json","id":"019a0000-0000-7000-8000-000000000001","publisher":"hostile",\
            "schemaversion":99,"seq":1,"source":"/hostile","specversion":"1.0","stream":"signal.00",\
            "time":"2026-11-25T00:00:00Z","type":"huddle.signal.recorded"}
            """.utf8
        )
        let hostile = [
            Message(frames: [topic, Array("this is not json".utf8)]),
            Message(frames: [topic, [UInt8](repeating: 0x7B, count: 2 << 20)]),
            Message(frames: [topic, Array("{}".utf8), Array("{}".utf8)]),
            Message(frames: [topic, unknownVersion]),
            Message(frames: [topic]),
        ]
        // PUB drops what it sends before the proxy has passed on the subscription: repeat until seen.
        let seen = await eventually(timeout: .seconds(30), poll: .milliseconds(200)) {
            for message in hostile { try? await attacker.send(message) }
            return consumer.latest("dead_letters") >= 3 && consumer.latest("rejected") >= 1
        }
        try? await attacker.close()
        #expect(
            seen,
            "garbage, a third frame and an unknown schemaversion are parked; the oversize frame is counted\n\(consumer.process.report)"
        )

        let (publisher, _) = try await rig.publisher(total: total)
        try await consumer.wait(for: "done", timeout: .seconds(120))
        #expect(
            await HTTPProbe.answers(url: "http://127.0.0.1:\(rig.proxies[0].httpPort)/health"),
            "the proxy still runs"
        )

        let database = try await Backend.open(consumerDatabase)
        let (reasons, applied) = try await database.read { sql in
            (
                Set(
                    try await sql.raw("SELECT reason FROM bus_dead_letters").all().map {
                        try $0.decode(column: "reason", as: String.self)
                    }
                ),
                try await sql.raw("SELECT COUNT(*) AS n FROM probe_applied").first()!.decode(column: "n", as: Int.self)
            )
        }
        await database.close()
        #expect(reasons.isSuperset(of: ["undecodable", "frame_count", "unknown_schemaversion"]), "\(reasons)")
        #expect(applied == total, "the real events all applied, once")
        publisher.process.terminate()
    }
}
