import Messages
import SQLKit
import Storage

/// How far a consumer has applied each stream, and which streams stopped at a purged range.
struct ConsumerProgress: Sendable {
    var applied: [StreamKey: UInt64] = [:]
    var lost: Set<StreamKey> = []

    /// Reads the progress. Purged ranges an operator marked resolved (`resolved_at` set) move
    /// their stream past the range first: that is the documented way to accept a loss.
    static func load(database: Database) async throws -> ConsumerProgress {
        try await database.write { sql in
            try await sql.raw(
                """
                UPDATE bus_applied SET last_seq = (
                    SELECT MAX(through_seq) FROM bus_lost_ranges
                    WHERE bus_lost_ranges.publisher = bus_applied.publisher
                      AND bus_lost_ranges.stream = bus_applied.stream AND resolved_at IS NOT NULL)
                WHERE last_seq < (
                    SELECT MAX(through_seq) FROM bus_lost_ranges
                    WHERE bus_lost_ranges.publisher = bus_applied.publisher
                      AND bus_lost_ranges.stream = bus_applied.stream AND resolved_at IS NOT NULL)
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO bus_applied (publisher, stream, last_seq)
                SELECT publisher, stream, MAX(through_seq) FROM bus_lost_ranges WHERE resolved_at IS NOT NULL
                GROUP BY publisher, stream
                ON CONFLICT (publisher, stream) DO NOTHING
                """
            ).run()
            var progress = ConsumerProgress()
            for row in try await sql.raw("SELECT publisher, stream, last_seq FROM bus_applied").all() {
                let key = StreamKey(
                    publisher: try row.decode(column: "publisher", as: String.self),
                    stream: try StreamName(try row.decode(column: "stream", as: String.self))
                )
                progress.applied[key] = UInt64(try row.decode(column: "last_seq", as: Int64.self))
            }
            for row in try await sql.raw(
                "SELECT DISTINCT publisher, stream FROM bus_lost_ranges WHERE resolved_at IS NULL"
            ).all() {
                progress.lost.insert(
                    StreamKey(
                        publisher: try row.decode(column: "publisher", as: String.self),
                        stream: try StreamName(try row.decode(column: "stream", as: String.self))
                    )
                )
            }
            return progress
        }
    }

    /// Records the last `seq` applied per stream of `events`, in the caller's transaction.
    static func record(_ events: some Collection<IncomingEvent>, in sql: SQLConnection) async throws {
        var last: [StreamKey: UInt64] = [:]
        for event in events { raise(&last[event.key, default: 0], to: event.seq) }
        for chunk in Array(last).chunked(into: 500) {
            let values = chunk.flatMap { key, seq -> [SQLValue] in
                [.text(key.publisher), .text(key.stream.description), .integer(Int64(seq))]
            }
            try await sql.run(
                """
                INSERT INTO bus_applied (publisher, stream, last_seq)
                VALUES \(SQLConnection.placeholders(rows: chunk.count, columns: 3))
                ON CONFLICT (publisher, stream) DO UPDATE SET last_seq = excluded.last_seq
                """,
                values
            )
        }
    }

    /// One lookup per event, where reading and then writing the entry took two.
    private static func raise(_ seq: inout UInt64, to applied: UInt64) {
        seq = max(seq, applied)
    }
}
