import Foundation
import Logging
import SQLKit
import Storage

/// The database engines the storage and bus tests run against, each test on a database of its own.
package enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    package var description: String { rawValue }

    /// The server `scripts/test` starts; the tests fail (never skip) without it.
    package static let postgresVariable = "HUDDLE_TEST_POSTGRES_URL"

    package struct MissingServer: Error, CustomStringConvertible {
        package var description: String {
            "\(Backend.postgresVariable) is not set: run the tests through scripts/test, which starts a "
                + "throwaway PostgreSQL server, or point it at one (postgres://user@127.0.0.1:PORT/postgres)"
        }
    }

    /// Where this test run's SQLite files go: `huddle-bus-tests/run-PID` in the temporary directory.
    ///
    /// Made on first use, after removing what earlier runs left there (a run's files take gigabytes):
    /// the last run's files stay for a look after it, and no more. A directory whose process still
    /// runs is another run going on at the same time, and stays.
    private static let sqliteDirectory: URL = {
        let files = FileManager.default
        let parent = files.temporaryDirectory.appendingPathComponent("huddle-bus-tests")
        for entry in (try? files.contentsOfDirectory(atPath: parent.path)) ?? [] {
            if entry.hasPrefix("run-"), let pid = Int32(entry.dropFirst("run-".count)),
                kill(pid, 0) == 0 || errno == EPERM
            {
                continue
            }
            try? files.removeItem(at: parent.appendingPathComponent(entry))
        }
        return parent.appendingPathComponent("run-\(getpid())")
    }()

    /// A new, empty database for one process of one test, as a probe's `--database` value.
    package func makeDatabase(_ name: String) async throws -> String {
        switch self {
        case .sqlite:
            let directory = Self.sqliteDirectory
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return "sqlite:" + directory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
        case .postgres:
            guard let server = ProcessInfo.processInfo.environment[Self.postgresVariable],
                var components = URLComponents(string: server)
            else { throw MissingServer() }
            let database =
                "huddle_\(name.replacingOccurrences(of: "-", with: "_"))_\(UInt32.random(in: 0...UInt32.max))"
            let admin = try await Database.open(.postgres(url: server), logger: Logger(label: "bus-tests"))
            // CREATE DATABASE cannot run in a transaction: the read connection runs it bare.
            try await admin.read { sql in try await sql.raw("CREATE DATABASE \(ident: database)").run() }
            await admin.close()
            components.path = "/" + database
            return components.string!
        }
    }

    /// Opens a probe's database to look at what it holds.
    package static func open(_ url: String) async throws -> Database {
        try await Database.open(
            try DatabaseLocation(url: url, dataDirectory: ".", name: "probe"),
            logger: Logger(label: "bus-tests")
        )
    }
}
