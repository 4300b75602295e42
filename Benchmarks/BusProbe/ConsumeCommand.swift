import ArgumentParser
import EventBus
import Foundation
import Logging
import Messages
import Prometheus
import SQLKit
import ServiceLifecycle
import Storage
import Synchronization
import UnixSignals

/// Applies every signal of the followed buckets into `probe_applied`, printing progress, and
/// exits once the table holds `--expect` rows (or runs until SIGTERM without it).
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume")

    @OptionGroup var common: CommonOptions

    @Option(help: "The consumer's name.")
    var name = "probe"

    @Option(help: "Buckets to follow: all, or a range of two-hex-digit buckets such as 00-7f.")
    var buckets = "all"

    @Option(help: "Exit once this many events are applied in all (across restarts).")
    var expect: Int?

    @Option(help: "ZeroMQ receive high-water mark of the subscription.")
    var receiveHighWaterMark: Int32 = 100_000

    @Option(help: "Messages the subscription socket queues in the process.")
    var receiveQueue = 8192

    @Option(help: "Events held ahead of a gap.")
    var earlyCapacity = 50_000

    @Option(help: "Signals with a number divisible by this fail in the handler (0: none fail).")
    var failEvery = 0

    @Option(help: "When done, write each event's publish time (Unix microseconds) and latency (ms) here.")
    var latencyLog: String?

    func run() async throws {
        let logger = common.logger("huddle-bus-probe.consume")
        let database = try await common.openDatabase(logger: logger)
        try await database.migrate(BusSchema.consumer + ProbeSchema.consumer, logger: logger)
        var settings = ConsumerSettings(
            name: name,
            busEndpoints: common.bus,
            streams: StreamSelection(families: [.signal], buckets: try Self.parseBuckets(buckets))
        )
        settings.receiveHighWaterMark = receiveHighWaterMark
        settings.receiveQueueCapacity = receiveQueue
        settings.earlyCapacity = earlyCapacity
        settings.retryBackoff = .milliseconds(10)
        let latencies = LatencyRecorder()
        let consumer = Consumer(
            settings: settings,
            database: database,
            handler: ProbeHandler(failEvery: failEvery),
            metrics: ConsumerMetrics(registry: PrometheusCollectorRegistry(), consumer: name),
            logger: logger,
            onApplied: { latencies.record($0) }
        )
        let before = try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM probe_applied").first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
        let watch = ProgressWatch(
            consumer: consumer,
            before: before,
            expect: expect,
            latencies: latencies,
            latencyLog: latencyLog
        )
        try await runUntilShutdown(
            [.init(service: consumer), .init(service: watch, successTerminationBehavior: .gracefullyShutdownGroup)],
            then: database,
            logger: logger
        )
    }

    static func parseBuckets(_ text: String) throws -> Set<AccountBucket> {
        if text == "all" { return StreamSelection.allBuckets }
        let bounds = text.split(separator: "-").compactMap { UInt8($0, radix: 16) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw ValidationError("--buckets must be all or LO-HI in two-hex-digit buckets, such as 00-7f")
        }
        return Set((bounds[0]...bounds[1]).map { AccountBucket(index: $0) })
    }
}

/// Inserts a row per applied signal; fails on the signals `failEvery` picks.
struct ProbeHandler: BusEventHandler {
    let failEvery: Int

    struct Refused: Error, CustomStringConvertible {
        var id: String
        var description: String { "the probe refuses \(id) (--fail-every)" }
    }

    func apply(_ events: [BusEvent], in sql: SQLConnection) async throws {
        for chunk in events.chunked(into: 1000) {
            var rows: [[SQLValue]] = []
            rows.reserveCapacity(chunk.count)
            for event in chunk {
                guard case .signalRecorded(let signal) = event.payload else { continue }
                if failEvery > 0, let number = Int(signal.id.dropFirst(4)), number % failEvery == 0 {
                    throw Refused(id: signal.id)
                }
                let header = event.header
                rows.append([
                    .text(header.publisher), .text(header.stream.description), .integer(Int64(header.seq)),
                    .text(header.id.uuidString), .text(signal.accountID ?? ""),
                ])
            }
            try await sql.insertRows(
                into: "probe_applied",
                columns: ["publisher", "stream", "seq", "event_id", "account"],
                rows: rows
            )
        }
    }
}

/// Publish-to-applied latencies: from the envelope's `time` to the moment the apply committed.
final class LatencyRecorder: Sendable {
    /// Each applied event's publish time (Unix microseconds) and latency (milliseconds).
    private let samples = Mutex<[(published: Int64, milliseconds: Double)]>([])

    func record(_ events: [BusEvent]) {
        let now = Timestamp.now().microsecondsSinceEpoch
        samples.withLock { samples in
            guard samples.count < 2_000_000 else { return }
            for event in events {
                let published = event.header.time.microsecondsSinceEpoch
                samples.append((published, Double(now - published) / 1000))
            }
        }
    }

    func percentiles() -> (p50: Double, p99: Double, max: Double) {
        let sorted = samples.withLock { $0 }.map(\.milliseconds).sorted()
        guard !sorted.isEmpty else { return (0, 0, 0) }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
        return (at(0.5), at(0.99), sorted.last!)
    }

    /// Writes one line per event, `published_us latency_ms`, for the benchmark to set beside the
    /// machine's own stalls.
    func write(to path: String) throws {
        let lines = samples.withLock { $0 }.map { "\($0.published) \($0.milliseconds)\n" }
        try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// Prints progress every 250 ms and the summary once `expect` rows are applied.
struct ProgressWatch: Service {
    /// The process's peak resident set (`VmHWM`). Not `getrusage`: on Linux its maximum survives
    /// `exec`, so a child spawned by a big test runner would report the runner's peak.
    static func peakResidentKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    let consumer: Consumer
    let before: Int
    let expect: Int?
    let latencies: LatencyRecorder
    let latencyLog: String?

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        emit(["event": "consuming", "applied": before])
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            let status = consumer.currentStatus
            let applied = before + Int(status.applied)
            emit([
                "event": "progress", "applied": applied, "lag": status.lag, "lost_ranges": status.lostRanges,
                "gaps": status.gapsDetected, "replays": status.replaysRequested,
                "duplicates": status.duplicatesDropped, "dead_letters": status.deadLetters, "rejected": status.rejected,
                "not_ready": status.readinessProblem(maxLag: 10_000) ?? "",
            ])
            if let expect, applied >= expect {
                let elapsed = clock.now - start
                let (p50, p99, max) = latencies.percentiles()
                if let latencyLog { try latencies.write(to: latencyLog) }
                emit([
                    "event": "done", "applied": applied,
                    "seconds": Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                    "p50_ms": p50, "p99_ms": p99, "max_ms": max, "max_rss_kb": Self.peakResidentKilobytes(),
                    "gaps": status.gapsDetected, "replays": status.replaysRequested,
                    "duplicates": status.duplicatesDropped, "dead_letters": status.deadLetters,
                ])
                return
            }
        }
    }
}
