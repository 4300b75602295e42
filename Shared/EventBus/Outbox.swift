import Foundation
import Messages
import SQLKit
import Storage

/// The SQL of the outbox: assigning sequence numbers and positions, writing rows, reading them back.
struct Outbox: Sendable {
    /// The publisher the rows belong to.
    let publisher: String
    /// The CloudEvents `source` of every event.
    let source: String
    let codec = BusCodec()

    /// Rows per INSERT statement: well under both engines' limits on bound parameters.
    static let rowsPerStatement = 250
    static let columns = ["position", "publisher", "stream", "seq", "topic", "envelope", "created_at"].map {
        SQLIdentifier($0)
    }

    /// Writes `batch` into the outbox inside the caller's transaction.
    ///
    /// The outbox counter goes up by the number of events, every stream's counter by its number of
    /// events in one upsert (their row locks keep positions and `seq` gap-free and in commit order
    /// under concurrent writers), then the rows go in with multi-row INSERTs.
    func append(
        _ batch: OutboxBatch,
        ids: inout EventIDGenerator,
        in sql: any SQLDatabase
    ) async throws -> (published: [PublishedEvent], rows: [OutboxRow]) {
        guard batch.count > 0 else { return ([], []) }
        // The outbox counter first: its row lock orders every publishing transaction, the same way.
        let lastPosition = try await sql.raw(
            """
            UPDATE bus_outbox_counter SET last_position = last_position + \(bind: Int64(batch.count))
            WHERE slot = 1 RETURNING last_position
            """
        ).first().map { try $0.decode(column: "last_position", as: Int64.self) }
        guard let lastPosition else { throw BusError.outboxCounterMissing }
        var counts: [StreamName: Int64] = [:]
        for event in batch.staged { counts[event.stream, default: 0] += 1 }
        var nextSeq: [StreamName: UInt64] = [:]
        for chunk in counts.sorted(by: { $0.key.description < $1.key.description }).chunked(into: Self.rowsPerStatement)
        {
            var values: [SQLQueryString] = []
            for (stream, count) in chunk {
                values.append("(\(bind: publisher), \(bind: stream.description), \(bind: count))")
            }
            let rows = try await sql.raw(
                """
                INSERT INTO bus_outbox_streams (publisher, stream, last_seq) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (publisher, stream)
                DO UPDATE SET last_seq = bus_outbox_streams.last_seq + excluded.last_seq
                RETURNING stream, last_seq
                """
            ).all()
            for row in rows {
                let stream = try StreamName(try row.decode(column: "stream", as: String.self))
                let last = try row.decode(column: "last_seq", as: Int64.self)
                nextSeq[stream] = UInt64(last - counts[stream]! + 1)
            }
        }

        var position = lastPosition - Int64(batch.count)
        let createdAt = Timestamps.nowMilliseconds()
        let now = Timestamp.now()
        var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        var published: [PublishedEvent] = []
        var rows: [OutboxRow] = []
        published.reserveCapacity(batch.count)
        rows.reserveCapacity(batch.count)
        // Each chunk's INSERT runs (on the database's thread) while the next chunk is encoded.
        try await withThrowingTaskGroup(of: Void.self) { inserts in
            for chunk in batch.staged.chunked(into: Self.rowsPerStatement) {
                var values: [[any SQLExpression]] = []
                values.reserveCapacity(chunk.count)
                for staged in chunk {
                    position += 1
                    let seq = nextSeq[staged.stream]!
                    nextSeq[staged.stream] = seq + 1
                    let header = EnvelopeHeader(
                        id: ids.next(at: now, using: &random),
                        source: source,
                        type: staged.payload.eventType,
                        time: staged.time ?? now,
                        publisher: publisher,
                        stream: staged.stream,
                        seq: seq
                    )
                    let envelope = try codec.encode(BusEvent(header: header, payload: staged.payload))
                    let topic = "\(staged.stream).\(staged.topicType)"
                    let row: [any Encodable & Sendable] = [
                        position, publisher, staged.stream.description, Int64(seq), topic, Data(envelope), createdAt,
                    ]
                    values.append(row.map { SQLBind($0) })
                    published.append(PublishedEvent(id: header.id, stream: staged.stream, seq: seq, position: position))
                    rows.append(
                        OutboxRow(position: position, stream: staged.stream, seq: seq, topic: topic, envelope: envelope)
                    )
                }
                let insert = SQLInsert(table: SQLIdentifier("bus_outbox"))
                    .with(columns: Self.columns, values: values)
                try await inserts.next()  // One statement at a time on the transaction's connection.
                inserts.addTask { try await sql.execute(sql: insert) { _ in } }
            }
            try await inserts.waitForAll()
        }
        return (published, rows)
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension SQLInsert {
    /// The insert with its columns and rows of values set.
    func with(columns: [SQLIdentifier], values: [[any SQLExpression]]) -> SQLInsert {
        var insert = self
        insert.columns = columns
        insert.values = values
        return insert
    }
}
