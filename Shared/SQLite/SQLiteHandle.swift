internal import CSQLite
import Synchronization

/// One libsqlite3 connection that keeps the statements it ran prepared, and runs each one
/// synchronously on the calling thread.
///
/// Why Huddle talks to libsqlite3 itself: SQLiteNIO prepares every statement anew and runs it on a
/// thread pool, completing a future on an event loop, so each statement cost a prepare and two
/// hand-offs between threads. Profiled in the bus benchmark at 5,000 events/s, preparing alone was
/// 13 % of the publisher's CPU and 9 % of the consumer's. Here a statement is prepared once per
/// connection (``cachedStatements`` shapes at most) and runs where its caller runs: on the
/// connection's own thread (``ConnectionThread``), so a whole transaction runs without a hand-off.
///
/// Not thread-safe by itself: its owner lends it to one caller at a time (Storage's
/// `ConnectionSlot`).
package final class SQLiteHandle: @unchecked Sendable {
    private var connection: OpaquePointer?
    private var statements: [String: CachedStatement] = [:]
    private var uses: UInt64 = 0
    private let closed = Atomic(false)

    /// How many prepared statements a connection keeps; the least recently used goes first.
    package static let cachedStatements = 128

    private struct CachedStatement {
        let pointer: OpaquePointer
        var lastUse: UInt64
    }

    /// Opens (creating if missing) the database file at `path`.
    package init(path: String) throws {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw SQLiteFailure(code: code, message: message, sql: "open \(path)")
        }
        sqlite3_extended_result_codes(connection, 1)
        self.connection = connection
    }

    deinit { close() }

    /// How many statements are kept prepared now.
    package var preparedCount: Int { statements.count }

    /// Whether ``close()`` ran.
    package var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Runs `sql` with `binds` (`?` placeholders, in order), calling `onRow` for each result row.
    package func run(_ sql: String, _ binds: [SQLiteValue], onRow: (SQLiteResultRow) throws -> Void = { _ in }) throws {
        guard let connection else {
            throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql)
        }
        let statement = try prepared(sql, on: connection)
        // Ready for the next use however this one ends; the bound copies are freed here too.
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let parameters = Int(sqlite3_bind_parameter_count(statement))
        guard binds.count == parameters else {
            // SQLite itself would bind NULL to the missing ones without a word.
            throw SQLiteFailure(
                code: SQLITE_RANGE,
                message: "the statement takes \(parameters) values; \(binds.count) were given",
                sql: sql
            )
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), in: statement), sql)
        }
        var columns: SQLiteColumns?
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code, sql) }
            let names = columns ?? SQLiteColumns(statement)
            columns = names
            var values: [SQLiteValue] = []
            values.reserveCapacity(names.names.count)
            for index in 0..<Int32(names.names.count) { values.append(Self.value(at: index, in: statement)) }
            try onRow(SQLiteResultRow(columns: names, values: values))
        }
    }

    /// Finalizes every statement and closes the connection; later runs throw.
    package func close() {
        guard let connection else { return }
        for statement in statements.values { sqlite3_finalize(statement.pointer) }
        statements.removeAll()
        sqlite3_close_v2(connection)
        self.connection = nil
        closed.store(true, ordering: .releasing)
    }

    private func prepared(_ sql: String, on connection: OpaquePointer) throws -> OpaquePointer {
        uses += 1
        if let cached = statements[sql] {
            statements[sql]!.lastUse = uses
            return cached.pointer
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, sql) }
        if statements.count >= Self.cachedStatements,
            let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            sqlite3_finalize(oldest.value.pointer)
            statements[oldest.key] = nil
        }
        statements[sql] = CachedStatement(pointer: statement, lastUse: uses)
        return statement
    }

    private func bind(_ value: SQLiteValue, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer): sqlite3_bind_int64(statement, index, integer)
        case .real(let double): sqlite3_bind_double(statement, index, double)
        // A NULL pointer would bind NULL, not an empty value: empty ones are bound as such.
        case .text(let text) where text.isEmpty: csqlite_bind_text(statement, index, "", 0)
        case .text(var text):
            text.withUTF8 { csqlite_bind_text(statement, index, $0.baseAddress, Int32($0.count)) }
        case .blob(let bytes) where bytes.isEmpty: sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let bytes):
            bytes.withUnsafeBytes { csqlite_bind_blob(statement, index, $0.baseAddress, Int32($0.count)) }
        case .null: sqlite3_bind_null(statement, index)
        }
    }

    private static func value(at index: Int32, in statement: OpaquePointer) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            .text(
                String(
                    decoding: UnsafeRawBufferPointer(
                        start: sqlite3_column_text(statement, index),
                        count: Int(sqlite3_column_bytes(statement, index))
                    ),
                    as: UTF8.self
                )
            )
        case SQLITE_BLOB:
            .blob(
                Array(
                    UnsafeRawBufferPointer(
                        start: sqlite3_column_blob(statement, index),
                        count: Int(sqlite3_column_bytes(statement, index))
                    )
                )
            )
        default: .null
        }
    }

    private func check(_ code: Int32, _ sql: String) throws {
        if code != SQLITE_OK { throw failure(code, sql) }
    }

    private func failure(_ code: Int32, _ sql: String) -> SQLiteFailure {
        SQLiteFailure(code: code, message: connection.map { String(cString: sqlite3_errmsg($0)) } ?? "closed", sql: sql)
    }
}

/// A statement SQLite refused or failed: its result code, SQLite's message and the statement.
package struct SQLiteFailure: Error, Sendable, CustomStringConvertible {
    /// SQLite's (extended) result code, such as 2067 for a UNIQUE constraint.
    package let code: Int32
    /// SQLite's own words.
    package let message: String
    /// The statement (its description shows the first 200 characters).
    package let sql: String

    package var description: String {
        "SQLite error \(code) (\(String(cString: sqlite3_errstr(code)))): \(message); in: \(sql.prefix(200))"
    }
}
