/// What the storage layer reports, with enough context to act on.
package enum StorageError: Error, Sendable, CustomStringConvertible {
    /// `HUDDLE_DATABASE_URL` (or a test's location) is not one Huddle can use.
    case invalidLocation(String, String)
    /// A migration failed; nothing of it was applied.
    case migrationFailed(version: Int, name: String, underlying: String)
    /// The database was written by a newer Huddle: it has migrations this build does not know.
    case newerSchema(applied: Int, known: Int)
    /// The database was closed.
    case closed
    /// Rows given to `insertRows` that no statement can take: the rule they break.
    case invalidRows(table: String, rule: String)
    /// A row was asked for a column the statement does not return.
    case missingColumn(String, among: [String])
    /// A statement run through `SQLConnection.run` returned a column of a type it does not read.
    case unsupportedColumn(String, sql: String)

    package var description: String {
        switch self {
        case .invalidLocation(let url, let rule): "invalid database location \"\(url)\": \(rule)"
        case .migrationFailed(let version, let name, let underlying):
            "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        case .newerSchema(let applied, let known):
            "the database is at schema version \(applied) but this build knows only up to \(known): "
                + "run a newer Huddle or restore a backup"
        case .closed: "the database is closed"
        case .invalidRows(let table, let rule): "rows for \(table): \(rule)"
        case .missingColumn(let column, let columns):
            "no column \"\(column)\" in the result; it has \(columns.joined(separator: ", "))"
        case .unsupportedColumn(let column, let sql):
            "column \"\(column)\" is of a type SQLConnection.run does not read (it reads integers, text "
                + "and bytes), in: \(sql)"
        }
    }
}
