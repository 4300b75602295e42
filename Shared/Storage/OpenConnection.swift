import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLite

/// One open connection, seen through SQLKit so that everything above it is engine-neutral.
struct OpenConnection: Sendable {
    /// The connection, through SQLKit and the engine's own fast inserts.
    let sql: SQLConnection
    /// Whether the connection died (the server went away); the slot then opens a new one.
    let isClosed: @Sendable () -> Bool
    /// Closes the connection.
    let close: @Sendable () async -> Void
    /// The thread an SQLite connection runs on, which its users run on too; nil for PostgreSQL.
    var thread: ConnectionThread? = nil

    /// Opens a connection to `location`.
    static func open(_ location: DatabaseLocation, logger: Logger) async throws -> OpenConnection {
        switch location {
        case .sqlite(let path): try await openSQLite(path: path, logger: logger)
        case .postgres(let url): try await openPostgres(url: url, logger: logger)
        }
    }

    private static func openSQLite(path: String, logger: Logger) async throws -> OpenConnection {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let thread = ConnectionThread()
        let handle: SQLiteHandle
        do {
            // On the connection's thread: switching to WAL may wait out another process's lock.
            handle = try await withTaskExecutorPreference(thread) {
                let handle = try SQLiteHandle(path: path)
                do {
                    for pragma in pragmas { try handle.run(pragma, []) }
                } catch {
                    handle.close()
                    throw error
                }
                return handle
            }
        } catch {
            await thread.stop()
            throw error
        }
        let database = SQLiteHandleDatabase(
            handle: handle,
            thread: thread,
            logger: logger,
            eventLoop: MultiThreadedEventLoopGroup.singleton.any()
        )
        return OpenConnection(
            sql: SQLConnection(base: database, engine: .sqlite(handle)),
            isClosed: { handle.isClosed },
            close: {
                await withTaskExecutorPreference(thread) { handle.close() }
                await thread.stop()
            },
            thread: thread
        )
    }

    /// Every SQLite connection's settings, in this order.
    ///
    /// busy_timeout first: switching to WAL takes a lock that another process (a second replica, a
    /// test) may hold for a moment. WAL lets the relay and replay read while a writer commits;
    /// synchronous=NORMAL keeps every committed transaction across a killed process (kill -9), and
    /// only a power loss can take the last few back, never corrupting the file. A 64 MiB page cache
    /// (allocated as used) keeps hot indexes in memory, and a memory map spares a copy per page
    /// read. No commit checkpoints the WAL: `Database` does it in the background, mostly on the
    /// read connection, so a commit rarely waits for pages to be copied. Temporary storage in
    /// memory: a multi-row INSERT keeps a statement journal (to undo itself alone on a constraint
    /// failure), which otherwise goes to a temporary file.
    private static let pragmas = [
        "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456",
        "PRAGMA wal_autocheckpoint = 0", "PRAGMA temp_store = MEMORY",
    ]

    private static func openPostgres(url: String, logger: Logger) async throws -> OpenConnection {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StorageError.invalidLocation(
                DatabaseLocation.postgres(url: url).description,
                "not a PostgreSQL URL: postgres://user[:password]@host[:port]/database"
            )
        }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(),
            configuration: configuration.coreConfiguration,
            id: 1,
            logger: logger
        ).get()
        return OpenConnection(
            sql: SQLConnection(base: connection.sql(queryLogLevel: nil), engine: .postgres(connection)),
            isClosed: { connection.isClosed },
            close: {
                let closing: EventLoopFuture<Void> = connection.close()
                try? await closing.get()
            }
        )
    }
}
