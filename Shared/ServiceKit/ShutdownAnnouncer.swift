import Logging
import ServiceLifecycle

/// Logs the moment a graceful shutdown begins, so logs show when and why a service started to stop.
struct ShutdownAnnouncer: Service {
    let logger: Logger

    func run() async {
        // Throws only on cancellation, which means the group is going down without a graceful phase.
        guard (try? await gracefulShutdown()) != nil else { return }
        logger.info("stopping", metadata: ["reason": "graceful shutdown requested"])
    }
}
