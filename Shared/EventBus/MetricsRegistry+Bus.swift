import Prometheus

extension PrometheusCollectorRegistry {
    /// A counter by full name (the unit already in it), with help text and labels.
    func counter(_ name: String, _ help: String, _ labels: [(String, String)]) -> Counter {
        makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    /// A gauge by full name, with help text and labels.
    func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
