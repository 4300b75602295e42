import Hummingbird
import Prometheus

extension Router {
    /// `GET /metrics`: everything in `registry`, in Prometheus text format.
    package func addMetricsRoute(_ registry: PrometheusCollectorRegistry) {
        get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
