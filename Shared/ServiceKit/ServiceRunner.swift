import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a service's `main` calls: configuration or a clear exit, then build and run with clean exit codes.
///
/// Exit status: 0 after a graceful shutdown, ``ConfigurationError/exitCode`` (78) for invalid configuration,
/// 1 when building or running fails.
package enum ServiceRunner {
    /// The exit status of a service that failed to build or stopped with an error.
    package static let failureExitCode: Int32 = 1

    /// Reads the configuration from the environment, or writes one log line naming every invalid variable and
    /// exits with status 78.
    package static func configurationOrExit(for service: ServiceName) -> ServiceConfiguration {
        do {
            return try ServiceConfiguration.fromEnvironment(service: service)
        } catch {
            // Logging is not bootstrapped yet (its own settings may be the invalid ones), so the line is rendered
            // directly, in JSON unless the environment clearly asks for text.
            let record = LogRecord(
                timestamp: LogTimestamp.now(),
                level: .critical,
                service: service.executableName,
                label: service.executableName,
                message: error.description
            )
            let wantsText = getenv(ConfigurationVariable.logFormat.name).map { String(cString: $0) } == "text"
            LogLineWriter.standardError.writeLine(wantsText ? record.textLine() : record.jsonLine())
            exit(ConfigurationError.exitCode)
        }
    }

    /// Builds the service and runs it until it shuts down; on failure logs the error and exits with status 1.
    package static func run(
        configuration: ServiceConfiguration,
        logger: Logger,
        build: @Sendable (ServiceConfiguration, Logger) throws -> HuddleService
    ) async {
        // Logs go to a pipe when `huddle up` runs the service; if that reader dies first, writes must fail
        // quietly instead of killing the process in the middle of its graceful shutdown.
        signal(SIGPIPE, SIG_IGN)
        do {
            let service = try build(configuration, logger)
            try await service.run()
        } catch {
            logger.critical("service failed", error: error)
            exit(failureExitCode)
        }
    }
}
