import ArgumentParser
import EventBus
import Logging
import Messages
import Prometheus
import SQLKit
import ServiceLifecycle
import Storage
import UnixSignals

/// Publishes `--total` signals (resuming after a restart) at `--rate`, then keeps relaying,
/// heart-beating and serving replays until SIGTERM/SIGINT.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish")

    @OptionGroup var common: CommonOptions

    @Option(help: "Where the replay endpoint listens.")
    var replayBind = "tcp://127.0.0.1:0"

    @Option(help: "Events to publish in all, counting those published before a restart.")
    var total: Int

    @Option(help: "Events per second; 0 publishes as fast as possible.")
    var rate = 0

    @Option(help: "Most events per transaction.")
    var batch = 500

    @Option(help: "Distinct accounts the signals are about (they spread over the 256 buckets).")
    var accounts = 4096

    @Option(help: "Outbox rows kept after relaying (retention by count).")
    var retentionCount: Int64 = 10_000_000

    @Option(help: "Seconds between retention purges.")
    var purgeInterval = 5

    @Option(help: "The publisher id (default: stored in the database).")
    var publisherID: String?

    func run() async throws {
        let logger = common.logger("huddle-bus-probe.publish")
        let database = try await common.openDatabase(logger: logger)
        try await database.migrate(BusSchema.publisher + ProbeSchema.publisher, logger: logger)
        let publisher = try await Publisher.open(database: database, service: "probe", configuredID: publisherID)
        var settings = PublisherSettings(
            busEndpoints: common.bus,
            replayBind: replayBind,
            replayAdvertiseHost: "127.0.0.1"
        )
        settings.retentionCount = retentionCount
        settings.purgeInterval = .seconds(purgeInterval)
        let metrics = PublisherMetrics(registry: PrometheusCollectorRegistry(), publisher: publisher.id)
        let relay = Relay(publisher: publisher, settings: settings, metrics: metrics, logger: logger)
        let source = SignalSource(publisher: publisher, total: total, rate: rate, batch: batch, accounts: accounts)
        try await runUntilShutdown([.init(service: relay), .init(service: source)], then: database, logger: logger)
    }
}

/// Publishes the signals, each transaction also counting them in `probe_source` (the state change
/// the outbox rows must commit with).
struct SignalSource: Service {
    let publisher: Publisher
    let total: Int
    let rate: Int
    let batch: Int
    let accounts: Int

    func run() async throws {
        var published = try await publisher.database.read { sql in
            try await sql.raw("SELECT published FROM probe_source WHERE slot = 1").first()
                .map { try $0.decode(column: "published", as: Int.self) } ?? 0
        }
        // As the C floor waits for the bus's subscription before its first transaction: the
        // figures are those of a publisher that is up, not of its first milliseconds, when what
        // it commits waits for the relay to hear the bus subscribe.
        let waitingSince = ContinuousClock.now
        while !publisher.isRelaying {
            guard ContinuousClock.now - waitingSince < .seconds(30) else {
                throw RelayNeverStarted()
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        emit([
            "event": "publishing", "publisher": publisher.id, "published": published,
            "relay_wait_ms": (ContinuousClock.now - waitingSince) / .milliseconds(1),
            "envelope_bytes": try Self.envelopeSize(publisher: publisher.id, accounts: accounts),
        ])
        let clock = ContinuousClock()
        let start = clock.now
        let startCount = published
        var lastReport = start
        var tick = start
        while published < total, !Task.isCancelled {
            var due = min(batch, total - published)
            if rate > 0 {
                // One transaction per millisecond with what is due by then: a steady stream at
                // `rate`, as from a service that publishes what arrived since its last transaction.
                tick = max(tick + .milliseconds(1), clock.now)
                try await Task.sleep(until: tick, clock: clock)
                let elapsed = clock.now - start
                let owed = Int(
                    Double(rate) * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                )
                due = min(due, startCount + owed - published)
                if due <= 0 { continue }
            }
            let first = published
            _ = try await publisher.write { sql, outbox in
                try await sql.raw("UPDATE probe_source SET published = published + \(bind: due) WHERE slot = 1").run()
                for number in first..<(first + due) {
                    try outbox.publish(Self.signal(number, accounts: accounts))
                }
            }
            published += due
            if clock.now - lastReport >= .milliseconds(250) {
                lastReport = clock.now
                emit(["event": "progress", "published": published])
            }
        }
        let elapsed = clock.now - start
        emit([
            "event": "published", "published": published,
            "seconds": Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
        ])
        try? await gracefulShutdown()
    }

    struct RelayNeverStarted: Error, CustomStringConvertible {
        var description: String { "the relay did not start sending within 30 s" }
    }

    /// The size of a typical envelope of this run (a mid-run number and seq), for the raw baseline.
    static func envelopeSize(publisher: String, accounts: Int) throws -> Int {
        let payload = signal(123_456, accounts: accounts)
        let header = EnvelopeHeader(
            id: EventID(unixMilliseconds: 1_764_000_000_000, randomA: 1, randomB: 1),
            source: "/huddle/probe",
            type: payload.eventType,
            time: .now(),
            publisher: publisher,
            stream: payload.stream!,
            seq: 1234
        )
        return try BusCodec().encode(BusEvent(header: header, payload: payload)).count
    }

    static func signal(_ number: Int, accounts: Int) -> EventPayload {
        .signalRecorded(
            Signal(
                id: "sig-\(number)",
                source: .web,
                kind: "page-viewed",
                occurredAt: .now(),
                accountID: "acct-\(number % max(1, accounts))",
                personEmail: "person\(number % 97)@example.com",
                properties: ["path": .string("/pricing"), "number": .int(Int64(number))]
            )
        )
    }
}
