import Storage

/// The probe's own tables: the publisher's count (its "state change") and the consumer's effects.
enum ProbeSchema {
    static let publisher = [
        Migration(version: 1000, name: "probe source") { kind in
            [
                "CREATE TABLE probe_source (slot INTEGER PRIMARY KEY, published \(kind.bigint) NOT NULL)",
                "INSERT INTO probe_source (slot, published) VALUES (1, 0)",
            ]
        }
    ]

    /// One row per application, without a unique key, so applying an event twice would show.
    static let consumer = [
        Migration(version: 1000, name: "probe applied") { kind in
            [
                """
                CREATE TABLE probe_applied (
                    publisher TEXT NOT NULL, stream TEXT NOT NULL, seq \(kind.bigint) NOT NULL,
                    event_id TEXT NOT NULL, account TEXT NOT NULL)
                """
            ]
        }
    ]
}
