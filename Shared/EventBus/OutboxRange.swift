import Messages
import SQLKit
import Storage

/// A range of one stream's outbox rows, as replay serves it, and what retention took of it.
///
/// The outbox is ordered by position only; each row links to its stream's previous row
/// (`prev_position`), every ``anchorInterval``-th row of a stream is indexed, and the stream's
/// latest row is kept with its counter. A range `[from, end]` is read by finding the first anchor
/// at or after `end` (or the latest row) and walking back along the chain to `from`: one index
/// lookup and at most `credit + anchorInterval - 1` lookups by position, in one recursive query.
struct OutboxRange: Sendable {
    /// Every how many `seq` a row is indexed. Fixed by migration 101, whose partial index the
    /// anchor lookup names: never change it.
    static let anchorInterval: UInt64 = 64

    /// The rows found, in `seq` order, starting at `from` unless retention purged its start.
    var rows: [OutboxRow]
    /// When retention purged the start of the range: the last purged `seq` (the range to report
    /// is `from...purgedThrough`).
    var purgedThrough: UInt64?

    /// Reads at most `limit` rows of `stream` from `from` through `through`. Asking beyond what the
    /// stream has published gives the rows there are, or none.
    static func read(
        publisher: String,
        stream: StreamName,
        from: UInt64,
        through: UInt64,
        limit: Int,
        in sql: any SQLDatabase
    ) async throws -> OutboxRange {
        let name = stream.description
        guard
            let latest = try await sql.raw(
                """
                SELECT last_seq, last_position FROM bus_outbox_streams
                WHERE publisher = \(bind: publisher) AND stream = \(bind: name)
                """
            ).first()
        else { return OutboxRange(rows: []) }
        let lastSeq = UInt64(try latest.decode(column: "last_seq", as: Int64.self))
        guard from <= lastSeq, from <= through else { return OutboxRange(rows: []) }
        let end = min(through, lastSeq, from + UInt64(max(1, limit)) - 1)

        // The walk starts at the first anchor at or after `end`, or at the latest row.
        var anchorSeq = (end + anchorInterval - 1) / anchorInterval * anchorInterval
        let start: SQLQueryString
        if anchorSeq <= lastSeq {
            start = """
                publisher = \(bind: publisher) AND stream = \(bind: name) AND seq = \(bind: Int64(anchorSeq))
                  AND seq % \(unsafeRaw: String(anchorInterval)) = 0
                """
        } else {
            anchorSeq = lastSeq
            let position = try latest.decode(column: "last_position", as: Int64.self)
            start = "position = \(bind: position) AND publisher = \(bind: publisher) AND stream = \(bind: name)"
        }
        let walked = try await sql.raw(
            """
            WITH RECURSIVE walk (position, stream, seq, prev_position, topic, envelope) AS (
                SELECT position, stream, seq, prev_position, topic, envelope FROM bus_outbox WHERE \(start)
                UNION ALL
                SELECT o.position, o.stream, o.seq, o.prev_position, o.topic, o.envelope FROM bus_outbox o
                JOIN walk ON o.position = walk.prev_position WHERE walk.seq > \(bind: Int64(from))
            )
            SELECT position, stream, seq, topic, envelope FROM walk ORDER BY seq
            """
        ).all().map(OutboxRow.init(row:))
        // The walk ends at `from`, or earlier where retention purged the chain; an anchor that is
        // gone means everything up to it is gone.
        guard let lowest = walked.first?.seq else {
            return OutboxRange(rows: [], purgedThrough: min(through, anchorSeq))
        }
        return OutboxRange(
            rows: walked.filter { $0.seq <= end },
            purgedThrough: lowest > from ? min(through, lowest - 1) : nil
        )
    }
}
