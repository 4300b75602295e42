import Foundation
import Logging
import Messages
import SQLKit
import ServiceLifecycle
import Storage
import Synchronization
import ZeroMQ

/// Sends a publisher's outbox to the bus, in order, and everything that keeps consumers whole:
/// a heartbeat every second, the replay endpoint, and retention.
///
/// It reads rows after the last position it sent, so a crash between commit and send only
/// delays them: a restarted relay resends from the cursor it persisted (consumers drop what they
/// already have). Run it in the service group; it stops on graceful shutdown after a last send.
package final class Relay: Service {
    private let publisher: Publisher
    private let settings: PublisherSettings
    private let metrics: PublisherMetrics
    private let logger: Logger
    private let codec = BusCodec()
    private let stopRequested = Atomic(false)

    package init(publisher: Publisher, settings: PublisherSettings, metrics: PublisherMetrics, logger: Logger) {
        self.publisher = publisher
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    package func run() async throws {
        let context = try Context()
        let replay = try await ReplayServer.start(
            context: context,
            publisher: publisher,
            settings: settings,
            metrics: metrics,
            logger: logger
        )
        let socket = try LockedSocket(context: context, type: .extendedPublish) { [settings] socket in
            try socket.setOption(.sendHighWaterMark, 100_000)
            try socket.setOption(.linger, .after(.seconds(2)))
            for endpoint in settings.busEndpoints { try socket.connect(endpoint) }
        }
        logger.info(
            "relay started",
            metadata: [
                "publisher": "\(publisher.id)", "bus": "\(settings.busEndpoints.joined(separator: ","))",
                "replay": "\(replay.advertised)",
            ]
        )
        let bell = publisher.committed
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                bell.ring()
            }
        }
        defer { ticker.cancel() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await replay.serve() }
                group.addTask { await self.relay(socket, replay: replay.advertised, bell: bell) }
                // The relay returns after its last send on shutdown; the replay server stops with it.
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stopRequested.store(true, ordering: .relaxed)
            bell.ring()
        }
        publisher.link.close()
        await replay.close()
    }

    /// Holds everything until the bus's subscriptions arrived or `subscriptionWait` passed
    /// (``BusSubscriptions``), then hands `socket` to the publisher's ``RelayLink`` and sends new
    /// rows whenever the bell rings, a heartbeat every interval, and purges now and then; a failure
    /// (the database went away) is logged and retried a second later.
    private func relay(_ socket: LockedSocket, replay: String, bell: Doorbell) async {
        var subscriptions = BusSubscriptions()
        let clock = ContinuousClock()
        let holdUntil = clock.now + settings.subscriptionWait
        while !subscriptions.anyHeard, clock.now < holdUntil, !stopRequested.load(ordering: .relaxed),
            !Task.isCancelled
        {
            try? socket.withSocket { try subscriptions.read(from: $0) }
            // Commits wait meanwhile, so look often: a thousand reads that find nothing cost less
            // than a millisecond of every waiting event's latency.
            try? await Task.sleep(for: .milliseconds(1))
        }
        if !subscriptions.anyHeard {
            logger.info(
                "relay heard no subscription from the bus; sending anyway",
                metadata: ["publisher": "\(publisher.id)", "waited": "\(settings.subscriptionWait)"]
            )
        }
        var opened = false
        var nextHeartbeat = clock.now
        var nextPurge = clock.now + settings.purgeInterval
        while !Task.isCancelled {
            let stopping = stopRequested.load(ordering: .relaxed)
            do {
                if !opened {
                    publisher.link.open(socket, from: try await RelayState.load(publisher: publisher))
                    opened = true
                }
                try socket.withSocket { try subscriptions.read(from: $0) }
                try await sendNewRows()
                if clock.now >= nextHeartbeat || stopping {
                    try await sendHeartbeat(on: socket, replay: replay)
                    nextHeartbeat = clock.now + settings.heartbeatInterval
                }
                if clock.now >= nextPurge {
                    try await purge()
                    nextPurge = clock.now + settings.purgeInterval
                }
            } catch {
                logger.error("relay failed; retrying", metadata: ["publisher": "\(publisher.id)", "error": "\(error)"])
                if stopping { return }
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if stopping {
                logger.info(
                    "relay stopped",
                    metadata: ["publisher": "\(publisher.id)", "position": "\(publisher.link.position?.cursor ?? 0)"]
                )
                return
            }
            await bell.wait()
        }
    }

    /// Sends what was committed and not sent at commit: straight from memory when it follows on
    /// from where the relay is; otherwise (a backlog at start, or more than the link holds) read
    /// back from the outbox.
    private func sendNewRows() async throws {
        let link = publisher.link
        if let pending = link.takePending() {
            try send(pending)
            return
        }
        while let cursor = link.position?.cursor {
            let limit = settings.relayBatchSize
            let rows = try await publisher.database.read { sql in
                try await sql.raw(
                    """
                    SELECT position, stream, seq, topic, envelope FROM bus_outbox \(unsafeRaw: publisher.database.kind.primaryKeyOrder)
                    WHERE publisher = \(bind: publisher.id) AND position > \(bind: cursor)
                    ORDER BY position LIMIT \(bind: limit)
                    """
                ).all().map(OutboxRow.init(row:))
            }
            try send(rows)
            if rows.count < limit { return }
        }
    }

    /// Sends `rows` a few hundred at a time, so that a committing thread waits for the link no
    /// longer than that.
    private func send(_ rows: [OutboxRow]) throws {
        var sent = publisher.link.takeSentDirectly()
        for chunk in rows.chunked(into: 256) { sent += try publisher.link.send(chunk) }
        metrics.relayed(sent)
    }

    private func sendHeartbeat(on socket: LockedSocket, replay: String) async throws {
        let committed = try await publisher.database.read { sql in
            try await sql.raw("SELECT last_position FROM bus_outbox_counter WHERE slot = 1").first()
                .map { try $0.decode(column: "last_position", as: Int64.self) } ?? 0
        }
        guard let relay = publisher.link.position else { return }
        let streams = relay.heartbeatStreams()
        let heartbeat = Heartbeat(
            publisher: publisher.id,
            replay: replay,
            time: .now(),
            streams: streams.map { Heartbeat.StreamPosition(stream: $0.key, seq: $0.value) }
                .sorted { $0.stream.description < $1.stream.description }
        )
        let message = Message(frames: [Array(Heartbeat.topic.utf8), try codec.encode(heartbeat)])
        _ = try socket.withSocket { try $0.send(message, dontWait: true) }
        metrics.heartbeat(lag: max(0, committed - relay.cursor), streams: streams)
        try await persistCursor(relay.cursor)
    }

    private func persistCursor(_ cursor: Int64) async throws {
        try await publisher.database.write { sql in
            try await sql.raw(
                """
                INSERT INTO bus_relay_cursor (publisher, relayed_position) VALUES (\(bind: publisher.id), \(bind: cursor))
                ON CONFLICT (publisher) DO UPDATE SET relayed_position = excluded.relayed_position
                """
            ).run()
        }
    }

    /// Deletes relayed rows that are past retention (older than the time, or beyond the count),
    /// oldest first, 10,000 per transaction. It looks at the oldest row on the read
    /// connection first and takes the write lock only when that row is due, so a long outbox
    /// costs nothing between purges.
    private func purge() async throws {
        guard let cursor = publisher.link.position?.cursor else { return }
        let cutoff = Timestamps.nowMilliseconds() - Int64(settings.retentionTime.components.seconds) * 1000
        let keepAfter = cursor - settings.retentionCount
        let order = publisher.database.kind.primaryKeyOrder
        while try await purgeOnce(cursor: cursor, cutoff: cutoff, keepAfter: keepAfter, order: order) == 10_000 {}
    }

    private func purgeOnce(cursor: Int64, cutoff: Int64, keepAfter: Int64, order: String) async throws -> Int {
        let oldest = try await publisher.database.read { sql in
            try await sql.raw(
                """
                SELECT position, created_at FROM bus_outbox \(unsafeRaw: order)
                WHERE publisher = \(bind: publisher.id) ORDER BY position LIMIT 1
                """
            ).first().map {
                (try $0.decode(column: "position", as: Int64.self), try $0.decode(column: "created_at", as: Int64.self))
            }
        }
        guard let (position, createdAt) = oldest, position <= cursor, createdAt < cutoff || position <= keepAfter
        else { return 0 }
        let purged = try await publisher.database.write { sql in
            try await sql.raw(
                """
                DELETE FROM bus_outbox WHERE position IN (
                    SELECT position FROM bus_outbox \(unsafeRaw: order)
                    WHERE publisher = \(bind: publisher.id) AND position <= \(bind: cursor)
                    ORDER BY position LIMIT 10000)
                  AND (created_at < \(bind: cutoff) OR position <= \(bind: keepAfter))
                RETURNING position
                """
            ).all().count
        }
        if purged > 0 {
            metrics.purged(purged)
            logger.info("outbox purged", metadata: ["publisher": "\(publisher.id)", "rows": "\(purged)"])
        }
        return purged
    }
}

/// One outbox row as the relay sends it.
struct OutboxRow: Sendable {
    var position: Int64
    var stream: StreamName
    var seq: UInt64
    var topic: String
    var envelope: [UInt8]

    init(position: Int64, stream: StreamName, seq: UInt64, topic: String, envelope: [UInt8]) {
        self.position = position
        self.stream = stream
        self.seq = seq
        self.topic = topic
        self.envelope = envelope
    }

    init(row: any SQLRow) throws {
        position = try row.decode(column: "position", as: Int64.self)
        stream = try StreamName(try row.decode(column: "stream", as: String.self))
        seq = UInt64(try row.decode(column: "seq", as: Int64.self))
        topic = try row.decode(column: "topic", as: String.self)
        envelope = Array(try row.decode(column: "envelope", as: Data.self))
    }

    /// The row as the bus carries it: `[topic, envelope]`.
    var message: Message { Message(frames: [Array(topic.utf8), envelope]) }
}
