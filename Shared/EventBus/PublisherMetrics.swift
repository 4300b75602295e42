import Messages
import Prometheus

/// A publisher's Prometheus metrics: what it relayed, how far behind its relay is, the latest `seq`
/// of each stream, and the replays it served.
package final class PublisherMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let publisher: String
    private let relayedEvents: Counter
    private let relayLag: Gauge
    private let heartbeats: Counter
    private let replaysServed: Counter
    private let replayedEvents: Counter
    private let purgedRangesAnswered: Counter
    private let purgedEvents: Counter

    package init(registry: PrometheusCollectorRegistry, publisher: String) {
        self.registry = registry
        self.publisher = publisher
        let labels = [("publisher", publisher)]
        relayedEvents = registry.counter(
            "huddle_bus_relayed_events_total",
            "Outbox events the relay sent to the bus.",
            labels
        )
        relayLag = registry.gauge(
            "huddle_bus_relay_lag_events",
            "Committed outbox events the relay has not sent yet (at the last heartbeat).",
            labels
        )
        heartbeats = registry.counter("huddle_bus_heartbeats_total", "Heartbeats sent.", labels)
        replaysServed = registry.counter("huddle_bus_replays_served_total", "Replay requests answered.", labels)
        replayedEvents = registry.counter(
            "huddle_bus_replayed_events_total",
            "Events sent in answer to replay requests.",
            labels
        )
        purgedRangesAnswered = registry.counter(
            "huddle_bus_replay_purged_answers_total",
            "Replay requests that asked for a range retention had already purged.",
            labels
        )
        purgedEvents = registry.counter(
            "huddle_bus_outbox_purged_events_total",
            "Outbox rows deleted by retention.",
            labels
        )
    }

    func relayed(_ count: Int) {
        if count > 0 { relayedEvents.increment(by: Int64(count)) }
    }

    func heartbeat(lag: Int64, streams: [StreamName: UInt64]) {
        heartbeats.increment()
        relayLag.set(Double(lag))
        for (stream, seq) in streams {
            registry.gauge(
                "huddle_bus_publisher_last_seq",
                "The latest seq the relay sent on each stream.",
                [("publisher", publisher), ("stream", stream.description)]
            ).set(Double(seq))
        }
    }

    func replayServed(events: Int) {
        replaysServed.increment()
        if events > 0 { replayedEvents.increment(by: Int64(events)) }
    }

    func purgedRangeAnswered() { purgedRangesAnswered.increment() }

    func purged(_ count: Int) { purgedEvents.increment(by: Int64(count)) }
}
