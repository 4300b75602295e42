import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import Storage

@Suite("SQLConnection.run: one statement with numbered values, straight to the engine")
struct RunStatementTests {
    func samples(_ backend: Backend) async throws -> Database {
        let database = try await Backend.open(try await backend.makeDatabase("run-statement"))
        try await database.write { sql in
            try await sql.raw(
                """
                CREATE TABLE samples (n \(unsafeRaw: database.kind.bigint) PRIMARY KEY, t TEXT,
                    b \(unsafeRaw: database.kind.bytes), r \(unsafeRaw: database.kind == .sqlite ? "REAL" : "FLOAT8"))
                """
            ).run()
        }
        return database
    }

    @Test("values bound by their numbers, in any order, come back as written", arguments: Backend.allCases)
    func roundTrip(backend: Backend) async throws {
        let database = try await samples(backend)
        defer { Task { await database.close() } }
        let rows: [[SQLValue]] = [
            [.integer(Int64.min), .text("it's $1 \"quoted\"; DROP TABLE samples; --"), .blob([0, 1, 2, 255])],
            [.integer(Int64.max), .text("ünïcødé ✓"), .blob([])],
            [.integer(0), .null, .null],
        ]
        try await database.write { sql in
            for row in rows {
                // The placeholders out of order: each binds the value of its number.
                try await sql.run("INSERT INTO samples (b, t, n) VALUES ($3, $2, $1)", row)
            }
        }
        let read = try await database.write { sql in
            try await sql.run("SELECT n, t, b FROM samples WHERE n >= $1 ORDER BY n", [.integer(Int64.min)])
        }
        #expect(read == [rows[0], rows[2], rows[1]])
        let none = try await database.write { sql in
            try await sql.run("SELECT n FROM samples WHERE t = $1", [.text("nothing like it")])
        }
        #expect(none.isEmpty)
    }

    @Test("a statement's RETURNING rows come back in column order", arguments: Backend.allCases)
    func returning(backend: Backend) async throws {
        let database = try await samples(backend)
        defer { Task { await database.close() } }
        let returned = try await database.write { sql in
            try await sql.run(
                "INSERT INTO samples (n, t) VALUES ($1, $2), ($3, $4)",
                [.integer(1), .text("a"), .integer(2), .text("b")]
            )
            return try await sql.run(
                "UPDATE samples SET n = n + $1 WHERE t = $2 RETURNING t, n",
                [.integer(10), .text("b")]
            )
        }
        #expect(returned == [[.text("b"), .integer(12)]])
    }

    @Test("a column of a type it does not read is refused with the column's name", arguments: Backend.allCases)
    func realRefused(backend: Backend) async throws {
        let database = try await samples(backend)
        defer { Task { await database.close() } }
        let error = await #expect(throws: StorageError.self) {
            try await database.write { sql in
                try await sql.run("INSERT INTO samples (n, r) VALUES ($1, 1.5)", [.integer(1)])
                return try await sql.run("SELECT n, r AS ratio FROM samples")
            }
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("column \"ratio\""))
    }

    @Test("multi-row placeholders are numbered row after row, the same when kept")
    func placeholders() {
        for _ in 1...2 {
            #expect(SQLConnection.placeholders(rows: 2, columns: 3) == "($1, $2, $3), ($4, $5, $6)")
            #expect(SQLConnection.placeholders(rows: 3, columns: 2) == "($1, $2), ($3, $4), ($5, $6)")
            #expect(SQLConnection.placeholders(rows: 1, columns: 1) == "($1)")
        }
    }

    @Test("SQLite's text gets `?n` for every `$n`, and text without `$` stays as it is")
    func sqlitePlaceholders() {
        #expect(SQLConnection.sqlitePlaceholders("VALUES ($1, $2), ($13, 0)") == "VALUES (?1, ?2), (?13, 0)")
        let plain = "SELECT 1"
        #expect(SQLConnection.sqlitePlaceholders(plain) == plain)
    }
}
