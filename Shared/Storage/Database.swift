import Logging
import SQLKit

/// A service's database: SQLite or PostgreSQL behind one SQLKit code path.
///
/// It keeps two connections: one for writes, which run one transaction at a time (SQLite has a
/// single writer anyway, and Huddle's writers batch), and one for reads, which WAL (SQLite) and
/// MVCC (PostgreSQL) let run beside a write. Statements are plain SQL through SQLKit; the few
/// spots where the engines differ ask ``kind``.
package final class Database: Sendable {
    /// The engine.
    package let kind: DatabaseKind
    /// Where the data lives (without any password).
    package let location: DatabaseLocation
    private let writer: ConnectionSlot
    private let reader: ConnectionSlot
    private let checkpointer: Task<Void, Never>?

    private init(
        location: DatabaseLocation,
        writer: ConnectionSlot,
        reader: ConnectionSlot,
        checkpointInterval: Duration,
        walRestartFrames: Int
    ) {
        self.location = location
        self.kind = if case .sqlite = location { .sqlite } else { .postgres }
        self.writer = writer
        self.reader = reader
        checkpointer =
            kind == .sqlite
            ? Task { [reader, writer] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: checkpointInterval)
                    await Self.checkpoint(reader: reader, writer: writer, restartAt: walRestartFrames)
                }
            } : nil
    }

    /// Copies SQLite's WAL back into the database file and, once the WAL has grown to
    /// `restartAt` frames, makes it start over.
    ///
    /// The copy runs on the read connection: PASSIVE never blocks the writer, and commits stay free
    /// of checkpoint stalls. But a writer that commits all the time appends frames while that runs,
    /// so such a checkpoint never completes, the WAL never starts over, and it grows without end
    /// (measured: 238 MB in 5 s at 5,000 events/s, with every checkpoint syncing all of it). So the
    /// frames committed meanwhile, a few, are copied on the write connection between two
    /// transactions; the checkpoint is then complete and the next write starts the WAL over. That
    /// step holds the writer for two fsyncs (1–5 ms measured in the bus benchmark's publisher),
    /// so it waits until the WAL is worth starting over rather than running every interval.
    private static func checkpoint(reader: ConnectionSlot, writer: ConnectionSlot, restartAt: Int) async {
        let frames = try? await reader.withConnection {
            try await $0.sql.raw("PRAGMA wal_checkpoint(PASSIVE)").first()?.decode(column: "log", as: Int.self)
        }
        guard let frames, frames >= restartAt else { return }
        try? await writer.withConnection { try await $0.sql.raw("PRAGMA wal_checkpoint(PASSIVE)").run() }
    }

    /// Opens the database (creating an SQLite file and its directory if missing).
    ///
    /// `checkpointInterval` is how often SQLite's WAL is copied into the database file;
    /// `walRestartFrames` how many frames (pages written) the WAL may hold before it starts over
    /// (8,192: 32 MiB of 4 KiB pages, about a second at 5,000 events/s).
    package static func open(
        _ location: DatabaseLocation,
        logger: Logger,
        checkpointInterval: Duration = .milliseconds(500),
        walRestartFrames: Int = 8192
    ) async throws -> Database {
        let writeConnection = try await OpenConnection.open(location, logger: logger)
        let readConnection: OpenConnection
        do {
            readConnection = try await OpenConnection.open(location, logger: logger)
        } catch {
            await writeConnection.close()
            throw error
        }
        return Database(
            location: location,
            writer: ConnectionSlot(location: location, connection: writeConnection, logger: logger),
            reader: ConnectionSlot(location: location, connection: readConnection, logger: logger),
            checkpointInterval: checkpointInterval,
            walRestartFrames: walRestartFrames
        )
    }

    /// Runs `body` in a write transaction: committed when `body` returns, rolled back when it throws
    /// (or is cancelled). Transactions run one at a time, in the order they were asked for.
    ///
    /// `onCommit` runs after the commit and before the next transaction starts, so what it records
    /// is in commit order.
    package func write<T: Sendable>(
        _ body: (SQLConnection) async throws -> T,
        onCommit: (T) -> Void = { _ in }
    ) async throws -> T {
        try await writer.withConnection { connection in
            let sql = connection.sql
            try await sql.run(kind.beginWrite)
            let result: T
            do {
                result = try await body(sql)
                try await sql.run("COMMIT")
            } catch {
                // Outside this task's cancellation, which would refuse the ROLLBACK and leave the
                // transaction open on the connection for the next caller.
                await Task { try? await sql.raw("ROLLBACK").run() }.value
                throw error
            }
            onCommit(result)
            return result
        }
    }

    /// Runs `body` on the thread write transactions run on (SQLite's write connection's thread;
    /// anywhere on PostgreSQL), so that a loop that writes all the time, such as a bus consumer,
    /// does not hand over to that thread and back for every transaction. `body` must not block:
    /// every writer of this database waits while it does.
    package func nearWriter<T>(_ body: () async throws -> T) async rethrows -> T {
        try await writer.nearConnection(body)
    }

    /// Runs `body` on the read connection, which sees every committed transaction.
    package func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await reader.withConnection { try await body($0.sql) }
    }

    /// Closes both connections once their current users are done.
    package func close() async {
        checkpointer?.cancel()
        await writer.close()
        await reader.close()
    }
}
