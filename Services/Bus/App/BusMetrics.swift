import Prometheus
import Synchronization
import ZeroMQ

/// The bus's Prometheus metrics: messages and bytes through each side of the proxy, from the
/// proxy's own STATISTICS.
///
/// libzmq reports running totals; each scrape adds what grew since the last one to the counters,
/// so they stay monotonic across scrapes as Prometheus expects.
package final class BusMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let counters: [Key: Counter]
    private let reported = Mutex<[Key: UInt64]>([:])

    private struct Key: Hashable, CaseIterable {
        var side: String
        var direction: String
        var bytes: Bool

        static let allCases: [Key] = ["frontend", "backend"].flatMap { side in
            ["in", "out"].flatMap { direction in [false, true].map { Key(side: side, direction: direction, bytes: $0) }
            }
        }
    }

    /// Registers the bus's counters.
    package init() {
        var counters: [Key: Counter] = [:]
        for key in Key.allCases {
            let what = key.bytes ? "bytes" : "messages"
            counters[key] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "huddle_bus",
                    metricName: what,
                    unitName: "total",
                    helpText: "The \(what) through the bus proxy (frontend: XSUB, from publishers; backend: XPUB, "
                        + "to subscribers)."
                ),
                labels: [("side", key.side), ("direction", key.direction)]
            )
        }
        self.counters = counters
    }

    /// The metrics in Prometheus text format, after taking in `statistics` (if the proxy runs).
    package func scrape(_ statistics: ProxyStatistics?) -> [UInt8] {
        if let statistics {
            let totals = Self.totals(statistics)
            let increments = reported.withLock { reported in
                defer { reported = totals }
                return totals.map { key, total in (key, total - min(total, reported[key] ?? 0)) }
            }
            for (key, increment) in increments where increment > 0 {
                counters[key]?.increment(by: Int64(clamping: increment))
            }
        }
        return registry.emitToBuffer()
    }

    private static func totals(_ statistics: ProxyStatistics) -> [Key: UInt64] {
        var totals: [Key: UInt64] = [:]
        for (side, counts) in [("frontend", statistics.frontend), ("backend", statistics.backend)] {
            totals[Key(side: side, direction: "in", bytes: false)] = counts.messagesIn
            totals[Key(side: side, direction: "in", bytes: true)] = counts.bytesIn
            totals[Key(side: side, direction: "out", bytes: false)] = counts.messagesOut
            totals[Key(side: side, direction: "out", bytes: true)] = counts.bytesOut
        }
        return totals
    }
}
