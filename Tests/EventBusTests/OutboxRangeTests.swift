import Foundation
import Logging
import Messages
import SQLKit
import Storage
import TestSupport
import Testing

@testable import EventBus

@Suite("OutboxRange: replay finds a stream's rows by its chain and its anchors")
struct OutboxRangeTests {
    /// A publisher on a new database of `backend`.
    static func publisher(_ backend: Backend) async throws -> Publisher {
        let database = try await Backend.open(try await backend.makeDatabase("outbox-range"))
        try await database.migrate(BusSchema.publisher, logger: Logger(label: "outbox-range-tests"))
        return try await Publisher.open(database: database, service: "range-test", configuredID: "range-test")
    }

    static func signal(_ number: Int, account: String) -> EventPayload {
        .signalRecorded(
            Signal(
                id: "sig-\(number)",
                source: .web,
                kind: "page-viewed",
                occurredAt: .now(),
                accountID: account,
                personEmail: nil,
                properties: [:]
            )
        )
    }

    /// An account id whose bucket is `bucket` (two hex digits).
    static func account(inBucket bucket: String) -> String {
        (0..<100_000).lazy.map { "acct-\($0)" }.first { AccountBucket(accountID: $0).description == bucket }!
    }

    static func read(
        _ publisher: Publisher,
        _ stream: StreamName,
        _ seqs: ClosedRange<UInt64>,
        limit: Int = 5000
    ) async throws -> OutboxRange {
        try await publisher.database.read { sql in
            try await OutboxRange.read(
                publisher: publisher.id,
                stream: stream,
                from: seqs.lowerBound,
                through: seqs.upperBound,
                limit: limit,
                in: sql
            )
        }
    }

    @Test("any range reads back whole and in order, across transactions and streams", arguments: Backend.allCases)
    func ranges(backend: Backend) async throws {
        let publisher = try await Self.publisher(backend)
        defer { Task { await publisher.database.close() } }
        // Three accounts interleaved, in transactions of varying size, so chains cross transactions.
        let accounts = ["0a", "0b", "0c"].map(Self.account(inBucket:))
        var published: [PublishedEvent] = []
        var number = 0
        for size in [1, 7, 64, 129, 50, 3] {
            published += try await publisher.publish(
                (0..<size).map { _ in
                    number += 1
                    return Self.signal(number, account: accounts[number % 3])
                }
            )
        }
        let stream = published[0].stream
        let count = UInt64(published.filter { $0.stream == stream }.count)
        #expect(count == 85)
        let cases: [(ClosedRange<UInt64>, Int, ClosedRange<UInt64>?)] = [
            (1...count, 5000, 1...count),
            (1...500, 10, 1...10),
            (60...70, 100, 60...70),
            (64...64, 1, 64...64),
            (65...200, 7, 65...71),
            (count - 2...count + 10, 100, count - 2...count),
            (count + 1...count + 5, 10, nil),
        ]
        for (asked, limit, expected) in cases {
            let range = try await Self.read(publisher, stream, asked, limit: limit)
            #expect(range.purgedThrough == nil)
            #expect(range.rows.map(\.seq) == expected.map(Array.init) ?? [], "asked \(asked) limit \(limit)")
            for row in range.rows {
                let event = try BusCodec().decodeEvent(from: row.envelope)
                #expect(event.header.stream == stream && event.header.seq == row.seq)
                #expect(row.topic.hasPrefix("\(stream)."))
            }
        }
    }

    @Test("a purged start is reported up to the first row still there", arguments: Backend.allCases)
    func purgedStart(backend: Backend) async throws {
        let publisher = try await Self.publisher(backend)
        defer { Task { await publisher.database.close() } }
        let published = try await publisher.publish((1...200).map { Self.signal($0, account: "acme") })
        let stream = published[0].stream
        try await publisher.database.write { sql in
            try await sql.raw("DELETE FROM bus_outbox WHERE seq <= 100").run()
        }
        // The anchor at 64 is gone, so everything up to it is.
        var range = try await Self.read(publisher, stream, 1...200, limit: 50)
        #expect(range.purgedThrough == 64 && range.rows.isEmpty)
        // The walk back from the anchor at 128 stops at 101.
        range = try await Self.read(publisher, stream, 65...200, limit: 50)
        #expect(range.purgedThrough == 100)
        range = try await Self.read(publisher, stream, 90...200)
        #expect(range.purgedThrough == 100)
        #expect(range.rows.map(\.seq) == Array(101...200))
        range = try await Self.read(publisher, stream, 101...200, limit: 50)
        #expect(range.purgedThrough == nil)
        #expect(range.rows.map(\.seq) == Array(101...150))
    }

    @Test("migration 101 links the rows an older outbox holds", arguments: Backend.allCases)
    func migrationLinksOlderRows(backend: Backend) async throws {
        let database = try await Backend.open(try await backend.makeDatabase("outbox-range"))
        defer { Task { await database.close() } }
        let logger = Logger(label: "outbox-range-tests")
        try await database.migrate(Array(BusSchema.publisher.prefix(1)), logger: logger)
        // Rows as version 100 wrote them: two streams interleaved, 70 events each.
        try await database.write { sql in
            try await sql.raw("INSERT INTO bus_publisher_identity (slot, publisher) VALUES (1, 'old')").run()
            for position in 1...140 {
                let stream = position % 2 == 0 ? "signal.0a" : "signal.0b"
                let seq = (position + 1) / 2
                try await sql.raw(
                    """
                    INSERT INTO bus_outbox (position, publisher, stream, seq, topic, envelope, created_at)
                    VALUES (\(bind: position), 'old', \(bind: stream), \(bind: seq), \(bind: stream + ".x"),
                            \(bind: Data([1, 2, 3, 4])), 0)
                    """
                ).run()
            }
            try await sql.raw(
                """
                INSERT INTO bus_outbox_streams (publisher, stream, last_seq)
                VALUES ('old', 'signal.0a', 70), ('old', 'signal.0b', 70)
                """
            ).run()
            try await sql.raw("UPDATE bus_outbox_counter SET last_position = 140").run()
        }
        try await database.migrate(BusSchema.publisher, logger: logger)
        let publisher = try await Publisher.open(database: database, service: "range-test", configuredID: nil)
        #expect(publisher.id == "old")
        let stream = try StreamName("signal.0a")
        var range = try await Self.read(publisher, stream, 1...70)
        #expect(range.rows.map(\.seq) == Array(1...70))
        #expect(range.rows.map(\.position) == (1...70).map { Int64($0 * 2) })

        // New events continue the old chains.
        _ = try await publisher.publish((1...30).map { Self.signal($0, account: Self.account(inBucket: "0a")) })
        range = try await Self.read(publisher, stream, 60...100)
        #expect(range.rows.map(\.seq) == Array(60...100))
        #expect(range.purgedThrough == nil)
    }
}
