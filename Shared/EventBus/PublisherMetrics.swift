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
        relayedEvents = registry.makeCounter(
            name: "huddle_bus_relayed_events_total", labels: labels, help: "Outbox events the relay sent to the bus.")
        relayLag = registry.makeGauge(
            name: "huddle_bus_relay_lag_events", labels: labels,
            help: "Committed outbox events the relay has not sent yet (at the last heartbeat).")
        heartbeats = registry.makeCounter(name: "huddle_bus_heartbeats_total", labels: labels, help: "Heartbeats sent.")
        replaysServed = registry.makeCounter(
            name: "huddle_bus_replays_served_total", labels: labels, help: "Replay requests answered.")
        replayedEvents = registry.makeCounter(
            name: "huddle_bus_replayed_events_total", labels: labels, help: "Events sent in answer to replay requests.")
        purgedRangesAnswered = registry.makeCounter(
            name: "huddle_bus_replay_purged_answers_total", labels: labels,
            help: "Replay requests that asked for a range retention had already purged.")
        purgedEvents = registry.makeCounter(
            name: "huddle_bus_outbox_purged_events_total", labels: labels, help: "Outbox rows deleted by retention.")
    }

    func relayed(_ count: Int) {
        if count > 0 { relayedEvents.increment(by: Int64(count)) }
    }

    func heartbeat(lag: Int64, streams: [StreamName: UInt64]) {
        heartbeats.increment()
        relayLag.set(Double(lag))
        for (stream, seq) in streams {
            registry.makeGauge(
                name: "huddle_bus_publisher_last_seq", labels: [("publisher", publisher), ("stream", stream.description)],
                help: "The latest seq the relay sent on each stream."
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
