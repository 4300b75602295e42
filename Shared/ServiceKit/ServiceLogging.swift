import Logging

/// Sets up process-wide logging for a service.
package enum ServiceLogging {
    /// Installs ``ServiceLogHandler`` as the process's log handler and returns the service's logger.
    ///
    /// Call it once, first thing in `main`: swift-log accepts one bootstrap per process.
    package static func bootstrap(_ configuration: ServiceConfiguration) -> Logger {
        let service = configuration.service.executableName
        let settings = configuration.logging
        LoggingSystem.bootstrap { label in
            ServiceLogHandler(label: label, service: service, format: settings.format, level: settings.level)
        }
        return Logger(label: service)
    }

    /// A logger that writes through `writer` without touching the process-wide bootstrap (for tests and tools).
    package static func logger(
        label: String,
        configuration: ServiceConfiguration,
        writer: LogLineWriter = .standardError
    ) -> Logger {
        Logger(label: label) { label in
            ServiceLogHandler(
                label: label,
                service: configuration.service.executableName,
                format: configuration.logging.format,
                level: configuration.logging.level,
                writer: writer
            )
        }
    }
}
