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
        applied = registry.makeCounter(
            name: "huddle_bus_applied_events_total", labels: labels, help: "Events applied (effect and seq committed).")
        duplicates = registry.makeCounter(
            name: "huddle_bus_duplicates_dropped_total", labels: labels,
            help: "Events dropped because they were already applied or queued.")
        gaps = registry.makeGauge(
            name: "huddle_bus_gaps_detected_total", labels: labels,
            help: "Gaps noticed in a stream (a seq skipped, or a heartbeat ahead of what was applied).")
        replaysRequested = registry.makeCounter(
            name: "huddle_bus_replays_requested_total", labels: labels, help: "Replay requests sent to publishers.")
        replayedEvents = registry.makeCounter(
            name: "huddle_bus_replay_received_events_total", labels: labels, help: "Events received by replay.")
        deadLetters = registry.makeCounter(
            name: "huddle_bus_dead_letters_total", labels: labels, help: "Messages parked in the dead letters.")
        lostRanges = registry.makeGauge(
            name: "huddle_bus_lost_ranges", labels: labels,
            help: "Unresolved purged ranges: streams stopped until an operator resolves them (alarm when above 0).")
        lag = registry.makeGauge(
            name: "huddle_bus_consumer_lag_events", labels: labels,
            help: "Events known to exist (live or by heartbeat) and not yet applied.")
        early = registry.makeGauge(
            name: "huddle_bus_consumer_early_events", labels: labels, help: "Events held ahead of a gap.")
    }

    /// Counts a message refused before it could be sequenced.
    func rejected(_ reason: String) {
        registry.makeCounter(
            name: "huddle_bus_rejected_messages_total", labels: [("consumer", consumer), ("reason", reason)],
            help: "Bus messages refused: garbage, oversize, too many frames, unknown schemaversion."
        ).increment()
    }

    func lastApplied(_ positions: [StreamKey: UInt64]) {
        for (key, seq) in positions {
            registry.makeGauge(
                name: "huddle_bus_consumer_last_seq",
                labels: [("consumer", consumer), ("publisher", key.publisher), ("stream", key.stream.description)],
                help: "The last seq applied (or queued) per publisher and stream."
            ).set(Double(seq))
        }
    }
}
