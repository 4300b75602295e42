import Logging
import SQLKit

/// One step of a schema: a version, a name, and the statements that take the schema there.
///
/// Versions are unique across every migration a database runs (each module owns a range, see the
/// module README), applied in ascending order, each in its own transaction, and recorded in
/// `huddle_migrations`. Applied migrations are never edited: a change is a new migration.
package struct Migration: Sendable {
    /// The version the schema is at after this migration.
    package var version: Int
    /// What the migration does, for logs and the migrations table.
    package var name: String
    /// The statements, for the engine at hand.
    package var statements: @Sendable (DatabaseKind) -> [String]

    package init(version: Int, name: String, statements: @escaping @Sendable (DatabaseKind) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Database {
    /// Applies the migrations the database does not have yet, in version order; returns how many ran.
    ///
    /// Refuses to run when the database already has a version above every migration given: it was
    /// written by a newer build, whose data this one might misread.
    @discardableResult
    package func migrate(_ migrations: [Migration], logger: Logger) async throws -> Int {
        let ordered = migrations.sorted { $0.version < $1.version }
        precondition(Set(ordered.map(\.version)).count == ordered.count, "two migrations share a version")
        try await write { sql in
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS huddle_migrations (
                    version \(unsafeRaw: kind.bigint) PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            ).run()
        }
        var ran = 0
        for migration in ordered {
            // Checked again inside each migration's transaction, under a lock, so that two
            // processes starting on one database at once apply every migration exactly once.
            let applied: Bool
            do {
                applied = try await write { sql in
                    if kind == .postgres {
                        try await sql.raw("LOCK TABLE huddle_migrations IN EXCLUSIVE MODE").run()
                    }
                    let versions = try await sql.raw("SELECT version FROM huddle_migrations").all()
                        .map { try $0.decode(column: "version", as: Int.self) }
                    if let newest = versions.max(), newest > (ordered.last?.version ?? 0) {
                        throw StorageError.newerSchema(applied: newest, known: ordered.last?.version ?? 0)
                    }
                    if versions.contains(migration.version) { return false }
                    for statement in migration.statements(kind) {
                        try await sql.raw(SQLQueryString(statement)).run()
                    }
                    try await sql.raw(
                        """
                        INSERT INTO huddle_migrations (version, name, applied_at)
                        VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamps.nowISO8601()))
                        """
                    ).run()
                    return true
                }
            } catch let error as StorageError {
                throw error
            } catch {
                throw StorageError.migrationFailed(
                    version: migration.version,
                    name: migration.name,
                    underlying: String(describing: error)
                )
            }
            if applied {
                logger.info(
                    "migrated",
                    metadata: ["version": "\(migration.version)", "migration": "\(migration.name)"]
                )
                ran += 1
            }
        }
        return ran
    }
}
