import Logging
import Messages
import ServiceLifecycle
import Storage
import Synchronization

/// Follows whole streams of the bus and applies every event exactly once, in order, through a
/// ``BusEventHandler`` — whatever the bus drops, duplicates or reorders.
///
/// It subscribes first, then fetches by replay whatever it is missing (after its own restart,
/// a gap, or a heartbeat ahead of what it applied) before applying anything newer of that
/// stream; live traffic that arrives early is held meanwhile, within bounds. A handler that keeps
/// failing on an event parks it in `bus_dead_letters` and the consumer goes on. A range the
/// publisher has purged stops its stream and raises an alarm (`bus_lost_ranges`, a metric, an
/// error log) instead of being skipped. Run it in the service group.
package final class Consumer: Service {
    let settings: ConsumerSettings
    let database: Database
    let handler: any BusEventHandler
    let metrics: ConsumerMetrics
    let logger: Logger
    let onApplied: (@Sendable ([BusEvent]) -> Void)?
    private let status = Mutex(ConsumerStatus())
    let stopRequested = Atomic(false)

    package init(
        settings: ConsumerSettings,
        database: Database,
        handler: any BusEventHandler,
        metrics: ConsumerMetrics,
        logger: Logger,
        onApplied: (@Sendable ([BusEvent]) -> Void)? = nil
    ) {
        self.onApplied = onApplied
        self.settings = settings
        self.database = database
        self.handler = handler
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "consumer"] = "\(settings.name)"
        self.logger = logger
    }

    /// What the consumer reports about itself, for `/ready` and tests.
    package var currentStatus: ConsumerStatus { status.withLock { $0 } }

    func report(_ update: (inout ConsumerStatus) -> Void) {
        status.withLock { update(&$0) }
    }

    package func run() async throws {
        let session = try await ConsumerSession.start(consumer: self)
        defer { session.close() }
        // The loop looks at the flag every turn (a turn waits at most 100 ms for traffic).
        try await withGracefulShutdownHandler {
            // Each turn ends in a write transaction: running beside the writer saves two thread
            // hand-offs on every event's way to being applied.
            try await database.nearWriter { try await session.run() }
        } onGracefulShutdown: {
            self.stopRequested.store(true, ordering: .relaxed)
        }
    }
}

/// How a consumer is doing.
package struct ConsumerStatus: Sendable, Hashable {
    /// Events handed to the handler and committed since start.
    package var applied: UInt64 = 0
    /// Events known to exist and not yet applied.
    package var lag: UInt64 = 0
    /// Unresolved purged ranges (an alarm when above 0).
    package var lostRanges = 0
    /// Gaps noticed since start.
    package var gapsDetected = 0
    /// Replay requests sent since start.
    package var replaysRequested = 0
    /// Events dropped as already applied, since start.
    package var duplicatesDropped = 0
    /// Messages parked in the dead letters since start.
    package var deadLetters = 0
    /// Messages the socket dropped since start for breaking its limits (too big, too many frames).
    package var rejected = 0
}

extension ConsumerStatus {
    /// Why a consumer in this state should not count as ready, or `nil`: a purged range it
    /// stopped at (an operator must resolve it) or more than `maxLag` events still to apply.
    package func readinessProblem(maxLag: UInt64) -> String? {
        if lostRanges > 0 {
            return "stopped at \(lostRanges) purged range\(lostRanges == 1 ? "" : "s") (see bus_lost_ranges)"
        }
        if lag > maxLag { return "catching up: \(lag) events behind (more than \(maxLag))" }
        return nil
    }
}
