import Logging
import NIOCore
import SQLite
import SQLiteKit

/// SQLKit's interface to a ``SQLiteHandle``: SQLite's dialect and value coding from SQLiteKit,
/// statements run by the handle.
///
/// A statement runs synchronously where its caller runs, which ``ConnectionSlot`` makes the
/// connection's own thread, so awaiting one never suspends.
struct SQLiteHandleDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let thread: ConnectionThread
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    // Made once: each holds a JSON coder, for values that are neither numbers, text nor bytes.
    private static let encoder = SQLiteDataEncoder()
    private static let decoder = SQLiteDataDecoder()

    /// Runs `query` now, on the calling thread.
    func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try handle.run(sql, binds.map { try SQLiteValue(Self.encoder.encode($0)) }) { onRow(Row(row: $0)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func execute(
        sql query: any SQLExpression,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        thread.pool.runIfActive(eventLoop: eventLoop) { try run(query, onRow) }
    }

    /// A result row, decoded through SQLiteKit's decoder column by column.
    struct Row: SQLRow {
        let row: SQLiteResultRow

        var allColumns: [String] { row.columns.names }

        func contains(column: String) -> Bool { row[column] != nil }

        func decodeNil(column: String) throws -> Bool { (row[column] ?? .null) == .null }

        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            guard let value = row[column] else { throw StorageError.missingColumn(column, among: allColumns) }
            return try SQLiteHandleDatabase.decoder.decode(D.self, from: SQLiteData(value))
        }
    }
}

extension SQLiteValue {
    init(_ data: SQLiteData) {
        switch data {
        case .integer(let value): self = .integer(Int64(value))
        case .float(let value): self = .real(value)
        case .text(let value): self = .text(value)
        case .blob(let buffer): self = .blob(Array(buffer.readableBytesView))
        case .null: self = .null
        }
    }
}

extension SQLiteData {
    init(_ value: SQLiteValue) {
        switch value {
        case .integer(let value): self = .integer(SQLiteInt64(value))
        case .real(let value): self = .float(value)
        case .text(let value): self = .text(value)
        case .blob(let bytes): self = .blob(ByteBuffer(bytes: bytes))
        case .null: self = .null
        }
    }
}
