import Logging
import NIOCore
import PostgresKit
import SQLKit
import SQLite

/// The connection a transaction runs on: SQLKit's interface to it (every statement but the
/// hottest goes through SQLKit, the same for both engines), plus ``insertRows(into:columns:rows:)``
/// and ``run(_:_:)``.
///
/// Why a second way: SQLKit turns every bound value into an `Encodable` existential and back (a
/// dynamic cast and an allocation each), which measured about 11 % of the publisher's time on the
/// multi-row inserts, and serializes every statement and decodes every row through `Codable`.
/// The statements Huddle runs by the thousand (multi-row inserts of plain values) and those the bus
/// runs in every transaction (its counters, `BEGIN` and `COMMIT`) bind plain values directly
/// through the engine's own driver, with the same SQL text for both engines.
package struct SQLConnection: SQLDatabase {
    /// The engine's own connection, for the statements that bypass SQLKit.
    enum Engine: Sendable {
        case sqlite(SQLiteHandle)
        case postgres(PostgresConnection)
    }

    let base: any SQLDatabase
    let engine: Engine

    /// The engine.
    package var kind: DatabaseKind {
        if case .sqlite = engine { .sqlite } else { .postgres }
    }

    /// Inserts `rows` (each with one value per column, in order) into `table` with one statement.
    ///
    /// Table and column names are written into the SQL as they are: pass only names from the
    /// code, never input. Throws ``StorageError/invalidRows(table:rule:)`` for more than
    /// ``maximumValues`` values or a row whose length is not the number of columns.
    package func insertRows(into table: String, columns: [String], rows: some Collection<[SQLValue]>) async throws {
        guard !rows.isEmpty else { return }
        let valueCount = rows.count * columns.count
        guard valueCount <= Self.maximumValues else {
            throw StorageError.invalidRows(
                table: table,
                rule: "at most \(Self.maximumValues) values in one statement; these are \(valueCount): split them"
            )
        }
        if let row = rows.first(where: { $0.count != columns.count }) {
            throw StorageError.invalidRows(
                table: table,
                rule: "every row has one value per column (\(columns.count)); one has \(row.count)"
            )
        }
        try await insert(
            sql: Self.cachedInsertStatement(table: table, columns: columns, rowCount: rows.count, kind: kind),
            rows: rows,
            valueCount: valueCount
        )
    }

    /// Runs one statement with `values` bound to its placeholders `$1`, `$2`, … and returns its
    /// rows, each the values of its columns in order.
    ///
    /// The same text serves both engines (SQLite reads each `$n` as its `?n`), so the text must hold
    /// no other `$`. Like ``insertRows(into:columns:rows:)`` it skips SQLKit's serializing and value
    /// coding; it is for the few statements the bus runs in every transaction. It reads integers,
    /// text and byte strings; a column of any other type (a real number, say) throws
    /// ``StorageError/unsupportedColumn(_:sql:)``.
    @discardableResult
    package func run(_ sql: String, _ values: [SQLValue] = []) async throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        switch engine {
        case .sqlite(let handle):
            let text = Self.sqliteTexts.text(for: sql, build: Self.sqlitePlaceholders)
            try handle.run(text, values.map(\.sqlite)) { row in
                var read: [SQLValue] = []
                read.reserveCapacity(row.values.count)
                for (column, value) in row.values.enumerated() {
                    guard let value = SQLValue(value) else {
                        throw StorageError.unsupportedColumn(row.columns.names[column], sql: sql)
                    }
                    read.append(value)
                }
                rows.append(read)
            }
        case .postgres(let connection):
            var binds = PostgresBindings(capacity: values.count)
            for value in values { value.append(to: &binds) }
            let query = PostgresQuery(unsafeSQL: sql, binds: binds)
            for try await row in try await connection.query(query, logger: logger) {
                rows.append(try row.map { try SQLValue(postgres: $0, sql: sql) })
            }
        }
        return rows
    }

    /// `($1, $2), ($3, $4)`: the placeholders of `rows` rows of `columns` values each, numbered in
    /// order, for a multi-row statement given to ``run(_:_:)``.
    ///
    /// Kept per shape (``KeptTexts``): the bus builds one in every transaction, up to 1,280
    /// placeholders long.
    package static func placeholders(rows: Int, columns: Int) -> String {
        placeholderTexts.text(for: PlaceholderShape(rows: rows, columns: columns)) { shape in
            (0..<shape.rows).map { row in
                "(" + (1...shape.columns).map { "$\(row * shape.columns + $0)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
        }
    }

    private struct PlaceholderShape: Hashable {
        var rows: Int
        var columns: Int
    }

    private static let placeholderTexts = KeptTexts<PlaceholderShape>(capacity: cachedShapes)
    /// SQLite's text of each statement given to ``run(_:_:)``, rewritten once rather than in every
    /// transaction.
    private static let sqliteTexts = KeptTexts<String>(capacity: cachedShapes)

    /// `sql` with every `$` turned into `?`: SQLite's numbered placeholder `?n` binds the n-th value.
    static func sqlitePlaceholders(_ sql: String) -> String {
        guard sql.utf8.contains(UInt8(ascii: "$")) else { return sql }
        return String(decoding: sql.utf8.map { $0 == UInt8(ascii: "$") ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }

    /// The most values one ``insertRows(into:columns:rows:)`` binds: under SQLite's limit of
    /// 32,766 and PostgreSQL's of 65,535.
    package static let maximumValues = 30_000

    private func insert(sql: String, rows: some Collection<[SQLValue]>, valueCount: Int) async throws {
        switch engine {
        case .sqlite(let handle):
            var binds: [SQLiteValue] = []
            binds.reserveCapacity(valueCount)
            for row in rows {
                for value in row { binds.append(value.sqlite) }
            }
            try handle.run(sql, binds)
        case .postgres(let connection):
            var binds = PostgresBindings(capacity: valueCount)
            for row in rows {
                for value in row { value.append(to: &binds) }
            }
            let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
            for try await _ in try await connection.query(statement, logger: base.logger) {}
        }
    }

    /// The statement of ``insertStatement(table:columns:rowCount:kind:)``, built once per shape
    /// (``KeptTexts``): the outbox and the consumers insert the same few shapes over and over (a
    /// full chunk is 2,000 placeholders).
    static func cachedInsertStatement(table: String, columns: [String], rowCount: Int, kind: DatabaseKind) -> String {
        let shape = InsertShape(table: table, columns: columns, rowCount: rowCount, kind: kind)
        return insertStatements.text(for: shape) {
            insertStatement(table: $0.table, columns: $0.columns, rowCount: $0.rowCount, kind: $0.kind)
        }
    }

    /// How many shapes of each kind of text a process keeps.
    static let cachedShapes = 256
    private static let insertStatements = KeptTexts<InsertShape>(capacity: cachedShapes)

    private struct InsertShape: Hashable {
        var table: String
        var columns: [String]
        var rowCount: Int
        var kind: DatabaseKind
    }

    /// `INSERT INTO table (a, b) VALUES (?, ?), (?, ?)`, with `$n` placeholders on PostgreSQL.
    static func insertStatement(table: String, columns: [String], rowCount: Int, kind: DatabaseKind) -> String {
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        sql.reserveCapacity(sql.utf8.count + rowCount * columns.count * 8)
        var number = 0
        for row in 0..<rowCount {
            sql += row == 0 ? "(" : ", ("
            for column in 0..<columns.count {
                number += 1
                if column > 0 { sql += ", " }
                sql += kind == .sqlite ? "?" : "$\(number)"
            }
            sql += ")"
        }
        return sql
    }

    // MARK: - SQLDatabase, by forwarding

    package var logger: Logger { base.logger }
    package var eventLoop: any EventLoop { base.eventLoop }
    package var version: (any SQLDatabaseReportedVersion)? { base.version }
    package var dialect: any SQLDialect { base.dialect }
    package var queryLogLevel: Logger.Level? { base.queryLogLevel }

    package func execute(
        sql query: any SQLExpression,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    package func execute(
        sql query: any SQLExpression,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws {
        try await base.execute(sql: query, onRow)
    }
}

extension SQLValue {
    fileprivate var sqlite: SQLiteValue {
        switch self {
        case .integer(let value): .integer(value)
        case .text(let value): .text(value)
        case .blob(let bytes): .blob(bytes)
        case .null: .null
        }
    }

    /// The value SQLite returned; nil for a real number, which ``SQLConnection/run(_:_:)`` does not read.
    fileprivate init?(_ value: SQLiteValue) {
        switch value {
        case .integer(let value): self = .integer(value)
        case .text(let value): self = .text(value)
        case .blob(let bytes): self = .blob(bytes)
        case .null: self = .null
        case .real: return nil
        }
    }

    /// The value PostgreSQL returned for `sql`: integers, byte strings, and text.
    fileprivate init(postgres cell: PostgresCell, sql: String) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
        case .bytea: self = .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        case .text, .varchar, .bpchar, .name: self = .text(try cell.decode(String.self))
        default: throw StorageError.unsupportedColumn(cell.columnName, sql: sql)
        }
    }

    fileprivate func append(to binds: inout PostgresBindings) {
        switch self {
        case .integer(let value): binds.append(value)
        case .text(let value): binds.append(value)
        case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
        case .null: binds.appendNull()
        }
    }
}
