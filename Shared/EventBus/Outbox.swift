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
    static let rowsPerStatement = 500

    /// Writes `batch` into the outbox inside the caller's transaction.
    ///
    /// The outbox counter goes up by the number of events, every stream's counter by its number of
    /// events in one upsert (their row locks keep positions and `seq` gap-free and in commit order
    /// under concurrent writers), then the rows go in with multi-row INSERTs.
    func append(
        _ batch: OutboxBatch,
        ids: inout EventIDGenerator,
        in sql: any SQLDatabase
    ) async throws -> [PublishedEvent] {
        guard batch.count > 0 else { return [] }
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
        for chunk in counts.sorted(by: { $0.key.description < $1.key.description }).chunked(into: Self.rowsPerStatement) {
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
        var random = SystemRandomNumberGenerator()
        var published: [PublishedEvent] = []
        published.reserveCapacity(batch.count)
        for chunk in batch.staged.chunked(into: Self.rowsPerStatement) {
            let insert = sql.insert(into: "bus_outbox")
                .columns("position", "publisher", "stream", "seq", "topic", "envelope", "created_at")
            for staged in chunk {
                position += 1
                let seq = nextSeq[staged.stream]!
                nextSeq[staged.stream] = seq + 1
                let time = staged.time ?? now
                let header = EnvelopeHeader(
                    id: ids.next(at: now, using: &random),
                    source: source,
                    type: staged.payload.eventType,
                    time: time,
                    publisher: publisher,
                    stream: staged.stream,
                    seq: seq
                )
                let envelope = try codec.encode(BusEvent(header: header, payload: staged.payload))
                let topic = "\(staged.stream).\(staged.topicType)"
                insert.values(
                    position, publisher, staged.stream.description, Int64(seq), topic, Data(envelope), createdAt
                )
                published.append(PublishedEvent(id: header.id, stream: staged.stream, seq: seq, position: position))
            }
            try await insert.run()
        }
        return published
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
