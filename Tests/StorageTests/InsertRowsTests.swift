import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import Storage

@Suite("insertRows: the multi-row insert that binds plain values straight to the engine")
struct InsertRowsTests {
    @Test("every kind of value comes back as written", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        let database = try await Backend.open(try await backend.makeDatabase("insert-rows"))
        defer { Task { await database.close() } }
        try await database.write { sql in
            try await sql.raw(
                "CREATE TABLE samples (n \(unsafeRaw: database.kind.bigint), t TEXT, b \(unsafeRaw: database.kind.bytes))"
            ).run()
        }
        let rows: [[SQLValue]] = [
            [.integer(Int64.min), .text("it's \"quoted\"; DROP TABLE samples; --"), .blob([0, 1, 2, 255])],
            [.integer(Int64.max), .text("ünïcødé ✓"), .blob([])],
            [.integer(0), .null, .null],
        ]
        try await database.write { sql in
            try await sql.insertRows(into: "samples", columns: ["n", "t", "b"], rows: rows)
        }
        let read = try await database.read { sql in
            try await sql.raw("SELECT n, t, b FROM samples ORDER BY n").all().map { row -> [SQLValue] in
                [
                    .integer(try row.decode(column: "n", as: Int64.self)),
                    try row.decode(column: "t", as: String?.self).map(SQLValue.text) ?? .null,
                    try row.decode(column: "b", as: Data?.self).map { SQLValue.blob(Array($0)) } ?? .null,
                ]
            }
        }
        #expect(read == [rows[0], rows[2], rows[1]])
    }

    @Test("many rows in one statement, and a failed one leaves nothing behind", arguments: Backend.allCases)
    func manyRowsAndRollback(backend: Backend) async throws {
        let database = try await Backend.open(try await backend.makeDatabase("insert-rows"))
        defer { Task { await database.close() } }
        try await database.write { sql in
            try await sql.raw("CREATE TABLE numbers (n \(unsafeRaw: database.kind.bigint) PRIMARY KEY)").run()
        }
        let rows = (1...10_000).map { [SQLValue.integer(Int64($0))] }
        try await database.write { sql in try await sql.insertRows(into: "numbers", columns: ["n"], rows: rows) }
        // The last row repeats a key: the whole transaction rolls back.
        await #expect(throws: (any Error).self) {
            try await database.write { sql in
                try await sql.insertRows(into: "numbers", columns: ["n"], rows: [[.integer(20_000)], [.integer(1)]])
            }
        }
        let (count, sum) = try await database.read { sql in
            let row = try await sql.raw("SELECT COUNT(*) AS c, CAST(SUM(n) AS BIGINT) AS s FROM numbers").first()!
            return (try row.decode(column: "c", as: Int.self), try row.decode(column: "s", as: Int.self))
        }
        #expect(count == 10_000)
        #expect(sum == 10_000 * 10_001 / 2)
    }

    @Test("rows no statement can take are refused with the rule, before anything is sent", arguments: Backend.allCases)
    func refusedRows(backend: Backend) async throws {
        let database = try await Backend.open(try await backend.makeDatabase("insert-rows"))
        defer { Task { await database.close() } }
        let cases: [([[SQLValue]], String)] = [
            (
                [[.integer(1), .integer(2)], [.integer(3)]],
                "rows for pairs: every row has one value per column (2); one has 1"
            ),
            (
                Array(repeating: [.integer(1), .integer(2)], count: 15_001),
                "rows for pairs: at most 30000 values in one statement; these are 30002: split them"
            ),
        ]
        for (rows, message) in cases {
            await #expect(throws: StorageError.self) {
                do {
                    try await database.write { sql in
                        try await sql.insertRows(into: "pairs", columns: ["a", "b"], rows: rows)
                    }
                } catch {
                    #expect("\(error)" == message)
                    throw error
                }
            }
        }
    }

    @Test("the statement has one placeholder per value, numbered on PostgreSQL")
    func statementText() {
        #expect(
            SQLConnection.insertStatement(table: "t", columns: ["a", "b"], rowCount: 2, kind: .sqlite)
                == "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        )
        #expect(
            SQLConnection.insertStatement(table: "t", columns: ["a", "b"], rowCount: 2, kind: .postgres)
                == "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        )
    }

    @Test("a cached statement is the statement built for its shape, past the cache's size too")
    func cachedStatementText() {
        for rowCount in 1...(SQLConnection.cachedShapes + 10) {
            for kind in [DatabaseKind.sqlite, .postgres] {
                for _ in 0..<2 {
                    #expect(
                        SQLConnection.cachedInsertStatement(
                            table: "c",
                            columns: ["x", "y"],
                            rowCount: rowCount,
                            kind: kind
                        )
                            == SQLConnection.insertStatement(
                                table: "c",
                                columns: ["x", "y"],
                                rowCount: rowCount,
                                kind: kind
                            )
                    )
                }
            }
        }
        #expect(
            SQLConnection.cachedInsertStatement(table: "c", columns: ["y", "x"], rowCount: 1, kind: .sqlite)
                == "INSERT INTO c (y, x) VALUES (?, ?)"
        )
    }
}
