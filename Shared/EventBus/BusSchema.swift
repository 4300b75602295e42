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
        }
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
