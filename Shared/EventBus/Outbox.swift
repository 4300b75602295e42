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
    static let columns = ["position", "publisher", "stream", "seq", "prev_position", "topic", "envelope", "created_at"]

    /// Writes `batch` into the outbox inside the caller's transaction.
    ///
    /// The outbox counter goes up by the number of events, every stream's counter by its number of
    /// events in one upsert (their row locks keep positions and `seq` gap-free and in commit order
    /// under concurrent writers), then the rows go in with multi-row INSERTs. Each row links to its
    /// stream's previous row (`prev_position`), which the upsert hands back as `previous_position`:
    /// that chain is how replay finds a stream's rows (`OutboxRange`).
    func append(
        _ batch: OutboxBatch,
        ids: inout EventIDGenerator,
        in sql: SQLConnection
    ) async throws -> (published: [PublishedEvent], rows: [OutboxRow]) {
        guard batch.count > 0 else { return ([], []) }
        // The outbox counter first: its row lock orders every publishing transaction, the same way.
        let counter = try await sql.run(
            "UPDATE bus_outbox_counter SET last_position = last_position + $1 WHERE slot = 1 RETURNING last_position",
            [.integer(Int64(batch.count))]
        )
        guard case .integer(let lastPosition) = counter.first?.first else { throw BusError.outboxCounterMissing }
        // Each event's stream as an index into per-stream arrays: one hash of its stream per event,
        // where dictionaries keyed by stream took five (about 6 % of a publisher's CPU).
        let firstPosition = lastPosition - Int64(batch.count) + 1
        var slotOf: [StreamName: Int] = [:]
        var streams: [StreamShare] = []
        var slots: [Int] = []
        slots.reserveCapacity(batch.count)
        for (offset, event) in batch.staged.enumerated() {
            let slot: Int
            if let known = slotOf[event.stream] {
                slot = known
            } else {
                slot = streams.count
                slotOf[event.stream] = slot
                streams.append(StreamShare(text: event.stream.description))
            }
            streams[slot].count += 1
            streams[slot].lastPosition = firstPosition + Int64(offset)
            slots.append(slot)
        }
        var nextSeq = [UInt64](repeating: 0, count: streams.count)
        var previousPosition = [Int64](repeating: 0, count: streams.count)
        // Always in the same order, so concurrent publishers on PostgreSQL lock stream rows alike.
        let ordered = streams.indices.sorted { streams[$0].text < streams[$1].text }
        for chunk in ordered.chunked(into: Self.rowsPerStatement) {
            let values = chunk.flatMap { slot -> [SQLValue] in
                [
                    .text(publisher), .text(streams[slot].text), .integer(streams[slot].count),
                    .integer(streams[slot].lastPosition), .integer(0),
                ]
            }
            // SET reads the row as it was, so previous_position gets the stream's old last position.
            let returned = try await sql.run(
                """
                INSERT INTO bus_outbox_streams (publisher, stream, last_seq, last_position, previous_position)
                VALUES \(SQLConnection.placeholders(rows: chunk.count, columns: 5))
                ON CONFLICT (publisher, stream) DO UPDATE SET
                    last_seq = bus_outbox_streams.last_seq + excluded.last_seq,
                    previous_position = bus_outbox_streams.last_position,
                    last_position = excluded.last_position
                RETURNING stream, last_seq, previous_position
                """,
                values
            )
            for row in returned {
                guard row.count == 3, case .text(let name) = row[0], case .integer(let last) = row[1],
                    case .integer(let previous) = row[2], let slot = slotOf[try StreamName(name)]
                else { throw BusError.outboxStreamsUnreadable("\(row)") }
                nextSeq[slot] = UInt64(last - streams[slot].count + 1)
                previousPosition[slot] = previous
            }
        }
        // Every stream's first seq is at least 1: a 0 left means the upsert skipped a stream.
        if let skipped = nextSeq.firstIndex(of: 0) {
            throw BusError.outboxStreamsUnreadable("nothing for \(streams[skipped].text)")
        }

        var position = firstPosition - 1
        let createdAt = Timestamps.nowMilliseconds()
        let now = Timestamp.now()
        var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        var published: [PublishedEvent] = []
        var rows: [OutboxRow] = []
        published.reserveCapacity(batch.count)
        rows.reserveCapacity(batch.count)
        // On PostgreSQL each chunk's INSERT runs in the server while the next chunk is encoded.
        // SQLite's run synchronously on this thread, where a child task would only add a hand-off.
        let overlapInserts = sql.kind == .postgres
        try await withThrowingTaskGroup(of: Void.self) { inserts in
            for chunk in batch.staged.indices.chunked(into: Self.rowsPerStatement) {
                var values: [[SQLValue]] = []
                values.reserveCapacity(chunk.count)
                for index in chunk {
                    let staged = batch.staged[index]
                    let slot = slots[index]
                    position += 1
                    let seq = nextSeq[slot]
                    nextSeq[slot] = seq + 1
                    let previous = previousPosition[slot]
                    previousPosition[slot] = position
                    let header = EnvelopeHeader(
                        id: ids.next(at: now, using: &random),
                        source: source,
                        type: staged.payload.eventType,
                        time: staged.time ?? now,
                        publisher: publisher,
                        stream: staged.stream,
                        seq: seq
                    )
                    let envelope = try codec.encodeEvent(BusEvent(header: header, payload: staged.payload))
                    let stream = streams[slot].text
                    let topic = stream + "." + staged.topicType
                    values.append([
                        .integer(position), .text(publisher), .text(stream), .integer(Int64(seq)),
                        .integer(previous), .text(topic), .blob(envelope), .integer(createdAt),
                    ])
                    published.append(PublishedEvent(id: header.id, stream: staged.stream, seq: seq, position: position))
                    rows.append(
                        OutboxRow(position: position, stream: staged.stream, seq: seq, topic: topic, envelope: envelope)
                    )
                }
                guard overlapInserts else {
                    try await sql.insertRows(into: "bus_outbox", columns: Self.columns, rows: values)
                    continue
                }
                try await inserts.next()  // One statement at a time on the transaction's connection.
                inserts.addTask { [values] in
                    try await sql.insertRows(into: "bus_outbox", columns: Self.columns, rows: values)
                }
            }
            try await inserts.waitForAll()
        }
        return (published, rows)
    }

    /// One stream's part of a batch: its name as stored, how many events, and the last one's position.
    private struct StreamShare {
        let text: String
        var count: Int64 = 0
        var lastPosition: Int64 = 0
    }
}
