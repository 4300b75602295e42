import ArgumentParser
import Foundation
import Logging
import Messages
import ServiceLifecycle
import Storage
import UnixSignals

/// Options both probe commands take.
struct CommonOptions: ParsableArguments {
    @Option(help: "The database: sqlite:PATH or a postgres:// URL.")
    var database: String

    @Option(help: "A bus endpoint (publishers: the proxy's XSUB; consumers: its XPUB). Repeat for several proxies.")
    var bus: [String]

    @Option(help: "Log level on standard error.")
    var logLevel: String = "warning"

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        return logger
    }

    func openDatabase(logger: Logger) async throws -> Database {
        let location = try DatabaseLocation(url: database, dataDirectory: ".", name: "probe")
        return try await Database.open(location, logger: logger)
    }
}

/// One JSON line on standard output, written at once so a parent process sees it immediately,
/// stamped with the wall clock (`unix_ms`) so lines of different processes can be compared.
func emit(_ fields: [String: any Sendable]) {
    var fields = fields
    fields["unix_ms"] = Timestamp.now().microsecondsSinceEpoch / 1000
    let body = fields.sorted { $0.key < $1.key }.map { key, value in
        let rendered = (value as? String).map { "\"\($0)\"" } ?? "\(value)"
        return "\"\(key)\":\(rendered)"
    }
    FileHandle.standardOutput.write(Data("{\(body.joined(separator: ","))}\n".utf8))
}

/// Runs `services` until SIGTERM/SIGINT (or one of them ends the group), then closes `database`.
func runUntilShutdown(
    _ services: [ServiceGroupConfiguration.ServiceConfiguration],
    then database: Database,
    logger: Logger
) async throws {
    let group = ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    )
    do {
        try await group.run()
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}
