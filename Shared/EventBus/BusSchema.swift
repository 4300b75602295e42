import Storage

/// The tables of the event bus layer. Versions 100–199 belong to the publisher side, 200–299 to
/// the consumer side; a service runs the ones it needs together with its own (1000 and up).
package enum BusSchema {
    /// The outbox: events written in the same transaction as the state change they announce.
    ///
    /// `position` is one counter for the whole outbox, taken under a row lock in every publishing
    /// transaction, so positions are in commit order and the relay can read "everything after
    /// what I sent" without missing a transaction that committed late.
    package static let publisher: [Migration] = [
        Migration(version: 100, name: "bus outbox") { kind in
            [
                "CREATE TABLE bus_publisher_identity (slot INTEGER PRIMARY KEY, publisher TEXT NOT NULL)",
                "CREATE TABLE bus_outbox_counter (slot INTEGER PRIMARY KEY, last_position \(kind.bigint) NOT NULL)",
                "INSERT INTO bus_outbox_counter (slot, last_position) VALUES (1, 0)",
                """
                CREATE TABLE bus_outbox_streams (
                    publisher TEXT NOT NULL, stream TEXT NOT NULL, last_seq \(kind.bigint) NOT NULL,
                    PRIMARY KEY (publisher, stream))
                """,
                """
                CREATE TABLE bus_relay_cursor (
                    publisher TEXT PRIMARY KEY, relayed_position \(kind.bigint) NOT NULL)
                """,
                """
                CREATE TABLE bus_outbox (
                    position \(kind.bigint) PRIMARY KEY,
                    publisher TEXT NOT NULL, stream TEXT NOT NULL, seq \(kind.bigint) NOT NULL,
                    topic TEXT NOT NULL, envelope \(kind.bytes) NOT NULL, created_at \(kind.bigint) NOT NULL)
                """,
                "CREATE UNIQUE INDEX bus_outbox_by_stream ON bus_outbox (publisher, stream, seq)",
            ]
        },
        // Replay finds a stream's rows by a chain instead of a full index: a full index on
        // (publisher, stream, seq) took a page write per stream per transaction, three quarters of
        // the outbox's write-ahead log. Each row now links to the stream's previous row; every
        // 64th row is indexed, and the stream's latest row is kept with its counter, so a range is
        // one index lookup and at most `credit + 63` steps back along the chain (`OutboxRange`).
        Migration(version: 101, name: "bus outbox stream chains") { kind in
            [
                "ALTER TABLE bus_outbox ADD COLUMN prev_position \(kind.bigint) NOT NULL DEFAULT 0",
                """
                UPDATE bus_outbox SET prev_position = COALESCE((
                    SELECT p.position FROM bus_outbox p
                    WHERE p.publisher = bus_outbox.publisher AND p.stream = bus_outbox.stream
                      AND p.seq = bus_outbox.seq - 1), 0)
                """,
                "ALTER TABLE bus_outbox_streams ADD COLUMN last_position \(kind.bigint) NOT NULL DEFAULT 0",
                "ALTER TABLE bus_outbox_streams ADD COLUMN previous_position \(kind.bigint) NOT NULL DEFAULT 0",
                """
                UPDATE bus_outbox_streams SET last_position = COALESCE((
                    SELECT o.position FROM bus_outbox o
                    WHERE o.publisher = bus_outbox_streams.publisher AND o.stream = bus_outbox_streams.stream
                      AND o.seq = bus_outbox_streams.last_seq), 0)
                """,
                "DROP INDEX bus_outbox_by_stream",
                """
                CREATE UNIQUE INDEX bus_outbox_anchors ON bus_outbox (publisher, stream, seq)
                WHERE seq % \(OutboxRange.anchorInterval) = 0
                """,
            ]
        },
    ]

    /// What a consumer has applied, and what it could not.
    ///
    /// `bus_applied` holds one row per (publisher, stream): the last `seq` applied, updated in the
    /// transaction that applies the event, which is what makes applying exactly-once.
    package static let consumer: [Migration] = [
        Migration(version: 200, name: "bus consumer") { kind in
            [
                """
                CREATE TABLE bus_applied (
                    publisher TEXT NOT NULL, stream TEXT NOT NULL, last_seq \(kind.bigint) NOT NULL,
                    PRIMARY KEY (publisher, stream))
                """,
                """
                CREATE TABLE bus_dead_letters (
                    id \(kind == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"),
                    received_at \(kind.bigint) NOT NULL,
                    publisher TEXT, stream TEXT, seq \(kind.bigint), topic \(kind.bytes) NOT NULL,
                    envelope \(kind.bytes) NOT NULL, reason TEXT NOT NULL, error TEXT NOT NULL,
                    attempts INTEGER NOT NULL)
                """,
                """
                CREATE TABLE bus_lost_ranges (
                    publisher TEXT NOT NULL, stream TEXT NOT NULL, from_seq \(kind.bigint) NOT NULL,
                    through_seq \(kind.bigint) NOT NULL, detected_at \(kind.bigint) NOT NULL,
                    resolved_at \(kind.bigint),
                    PRIMARY KEY (publisher, stream, from_seq))
                """,
            ]
        }
    ]
}
