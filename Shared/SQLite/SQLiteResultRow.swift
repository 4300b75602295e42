internal import CSQLite

/// One row a statement returned: its values, in the statement's column order.
package struct SQLiteResultRow: Sendable {
    /// The statement's column names, shared by all of its rows.
    package let columns: SQLiteColumns
    /// One value per column.
    package let values: [SQLiteValue]

    /// The value of the first column named `name`, or nil when there is none.
    package subscript(_ name: String) -> SQLiteValue? {
        columns.offsets[name].map { values[$0] }
    }
}

/// The column names of a statement's result.
package final class SQLiteColumns: Sendable {
    /// The names, in order.
    package let names: [String]
    /// Where each name is; the first column of a name wins.
    let offsets: [String: Int]

    init(_ statement: OpaquePointer) {
        let names = (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
        self.names = names
        offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
