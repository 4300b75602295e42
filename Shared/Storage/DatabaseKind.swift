/// Which engine a ``Database`` runs on; what little SQL differs between them lives here.
package enum DatabaseKind: String, Sendable, Hashable {
    case sqlite
    case postgres

    /// The column type for a 64-bit integer.
    package var bigint: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    /// The column type for raw bytes.
    package var bytes: String { self == .sqlite ? "BLOB" : "BYTEA" }
    /// Written after a table name, makes SQLite walk the table in primary-key order instead of
    /// an index that matches only an equality (which would then sort every row it found); empty
    /// for PostgreSQL, whose planner weighs the primary key itself.
    package var primaryKeyOrder: String { self == .sqlite ? "NOT INDEXED" : "" }
    /// The statement that opens a write transaction. SQLite takes the write lock up front, so two
    /// writers queue instead of one failing with SQLITE_BUSY halfway through.
    var beginWrite: String { self == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN" }
}
