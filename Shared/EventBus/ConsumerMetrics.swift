import Messages
import Prometheus

/// A consumer's Prometheus metrics: applied, lag, last seq per stream, gaps, replays, duplicates,
/// dead letters, rejected messages and purged-range alarms.
package final class ConsumerMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let consumer: String
    let applied: Counter
    let duplicates: Counter
    let gaps: Gauge
    let replaysRequested: Counter
    let replayedEvents: Counter
    let deadLetters: Counter
    let lostRanges: Gauge
    let lag: Gauge
    let early: Gauge

    package init(registry: PrometheusCollectorRegistry, consumer: String) {
        self.registry = registry
        self.consumer = consumer
        let labels = [("consumer", consumer)]
        applied = registry.counter(
            "huddle_bus_applied_events_total",
            "Events applied (effect and seq committed).",
            labels
        )
        duplicates = registry.counter(
            "huddle_bus_duplicates_dropped_total",
            "Events dropped because they were already applied or queued.",
            labels
        )
        gaps = registry.gauge(
            "huddle_bus_gaps_detected_total",
            "Gaps noticed in a stream (a seq skipped, or a heartbeat ahead of what was applied).",
            labels
        )
        replaysRequested = registry.counter(
            "huddle_bus_replays_requested_total",
            "Replay requests sent to publishers.",
            labels
        )
        replayedEvents = registry.counter(
            "huddle_bus_replay_received_events_total",
            "Events received by replay.",
            labels
        )
        deadLetters = registry.counter("huddle_bus_dead_letters_total", "Messages parked in the dead letters.", labels)
        lostRanges = registry.gauge(
            "huddle_bus_lost_ranges",
            "Unresolved purged ranges: streams stopped until an operator resolves them (alarm when above 0).",
            labels
        )
        lag = registry.gauge(
            "huddle_bus_consumer_lag_events",
            "Events known to exist (live or by heartbeat) and not yet applied.",
            labels
        )
        early = registry.gauge("huddle_bus_consumer_early_events", "Events held ahead of a gap.", labels)
    }

    /// Counts a message refused before it could be sequenced.
    func rejected(_ reason: String) {
        registry.counter(
            "huddle_bus_rejected_messages_total",
            "Bus messages refused: garbage, oversize, too many frames, unknown schemaversion.",
            [("consumer", consumer), ("reason", reason)]
        ).increment()
    }

    func lastApplied(_ positions: [StreamKey: UInt64]) {
        for (key, seq) in positions {
            registry.gauge(
                "huddle_bus_consumer_last_seq",
                "The last seq applied (or queued) per publisher and stream.",
                [("consumer", consumer), ("publisher", key.publisher), ("stream", key.stream.description)]
            ).set(Double(seq))
        }
    }
}
