import Logging
import Messages
import SQLKit
import Storage
import Synchronization

/// Writes events into the outbox in the same transaction as the state change they announce.
///
///     let published = try await publisher.write { sql, outbox in
///         try await sql.raw("UPDATE accounts SET ... ").run()
///         try outbox.publish(.accountUpdated(account))
///     }
///
/// Each event gets its stream's next `seq` (gap-free per publisher and stream, continuing across
/// restarts because the counter lives in the database) and is handed to the ``Relay`` after commit.
package final class Publisher: Sendable {
    /// This publisher's stable id, the `publisher` of every event it writes.
    package let id: String
    /// The database the outbox lives in.
    package let database: Database
    let outbox: Outbox
    /// Rung when the relay has something to send that the committing thread did not.
    let committed = Doorbell()
    /// The relay's socket, shared with the committing thread, and what this process committed
    /// that is not sent yet, in commit order, for the relay to send without reading it back.
    let link = RelayLink()
    private let ids = Mutex(EventIDGenerator())

    /// Whether the relay is sending: it heard the bus subscribe (or gave up waiting, after its
    /// `subscriptionWait`) and sends each commit from now on as it commits. Until then, events
    /// wait in the outbox, so the first ones after a start arrive a few milliseconds late.
    package var isRelaying: Bool { link.isOpen }

    /// A publisher on `database`, whose bus migrations must have run.
    ///
    /// Its id is `configuredID` when given; else the id stored in the database, or a new one
    /// (`<service>-<random>`) stored there for next time. Replicas sharing a PostgreSQL database
    /// must each be given their own id.
    package static func open(
        database: Database,
        service: String,
        configuredID: String?
    ) async throws -> Publisher {
        let id = try await database.write { sql -> String in
            if let stored = try await sql.raw("SELECT publisher FROM bus_publisher_identity WHERE slot = 1").first() {
                let storedID = try stored.decode(column: "publisher", as: String.self)
                if let configuredID, configuredID != storedID {
                    try await sql.raw(
                        "UPDATE bus_publisher_identity SET publisher = \(bind: configuredID) WHERE slot = 1"
                    ).run()
                    return configuredID
                }
                return storedID
            }
            let fresh = configuredID ?? "\(service)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            try await sql.raw("INSERT INTO bus_publisher_identity (slot, publisher) VALUES (1, \(bind: fresh))").run()
            return fresh
        }
        return Publisher(id: id, database: database, source: "/huddle/\(service)")
    }

    private init(id: String, database: Database, source: String) {
        self.id = id
        self.database = database
        self.outbox = Outbox(publisher: id, source: source)
    }

    /// Runs `body` in a write transaction and writes the events it staged into the outbox before
    /// committing; returns `body`'s result and the events as recorded.
    package func write<T: Sendable>(
        _ body: (SQLConnection, inout OutboxBatch) async throws -> T
    ) async throws -> (result: T, published: [PublishedEvent]) {
        let outcome = try await database.write { sql in
            var batch = OutboxBatch()
            let result = try await body(sql, &batch)
            // Transactions run one at a time, so nobody else uses the generator meanwhile.
            var generator = ids.withLock { $0 }
            let appended = try await outbox.append(batch, ids: &generator, in: sql)
            ids.withLock { $0 = generator }
            return (result, appended)
        } onCommit: { [link, committed] outcome in
            if link.committed(outcome.1.rows) { committed.ring() }
        }
        return (outcome.0, outcome.1.published)
    }

    /// Publishes `payloads` in one transaction of their own.
    @discardableResult
    package func publish(_ payloads: [EventPayload]) async throws -> [PublishedEvent] {
        try await write { _, batch in
            for payload in payloads { try batch.publish(payload) }
        }.published
    }
}
