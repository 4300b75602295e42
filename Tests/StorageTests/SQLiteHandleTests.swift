import Foundation
import SQLite
import Testing

@Suite("SQLiteHandle: libsqlite3 with the statements it ran kept prepared")
struct SQLiteHandleTests {
    private static func open() throws -> SQLiteHandle {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("huddle-sqlite-handle-\(UUID().uuidString).sqlite").path
        return try SQLiteHandle(path: path)
    }

    private static func rows(
        _ handle: SQLiteHandle,
        _ sql: String,
        _ binds: [SQLiteValue] = []
    ) throws -> [[SQLiteValue]] {
        var rows: [[SQLiteValue]] = []
        try handle.run(sql, binds) { rows.append($0.values) }
        return rows
    }

    @Test("every storage class comes back as it was bound, empty text and blobs included")
    func roundTrip() throws {
        let handle = try Self.open()
        defer { handle.close() }
        try handle.run("CREATE TABLE samples (k INTEGER, i, r, t, b)", [])
        let written: [[SQLiteValue]] = [
            [.integer(1), .integer(Int64.min), .real(-0.5), .text("ünïcødé ✓ with \0 inside"), .blob([0, 1, 255])],
            [.integer(2), .integer(Int64.max), .real(1e300), .text(""), .blob([])],
            [.integer(3), .null, .null, .null, .null],
        ]
        for row in written { try handle.run("INSERT INTO samples VALUES (?, ?, ?, ?, ?)", row) }
        #expect(try Self.rows(handle, "SELECT k, i, r, t, b FROM samples ORDER BY k") == written)
        let kinds = try Self.rows(handle, "SELECT typeof(t), typeof(b) FROM samples WHERE k = 2")
        #expect(kinds == [[.text("text"), .text("blob")]])
    }

    @Test("rows give their values by column name, the first of a name winning")
    func columnsByName() throws {
        let handle = try Self.open()
        defer { handle.close() }
        var found: [SQLiteValue?] = []
        try handle.run("SELECT 1 AS a, 2 AS b, 3 AS a", []) { row in
            #expect(row.columns.names == ["a", "b", "a"])
            found = [row["a"], row["b"], row["c"]]
        }
        #expect(found == [.integer(1), .integer(2), nil])
    }

    @Test("a failed statement names SQLite's code, its words and the statement, and runs again after")
    func failureThenReuse() throws {
        let handle = try Self.open()
        defer { handle.close() }
        try handle.run("CREATE TABLE keys (k INTEGER PRIMARY KEY)", [])
        let insert = "INSERT INTO keys (k) VALUES (?)"
        try handle.run(insert, [.integer(1)])
        let failure = try #require(throws: SQLiteFailure.self) { try handle.run(insert, [.integer(1)]) }
        #expect(failure.code == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(failure.message.contains("UNIQUE constraint failed: keys.k"))
        #expect(failure.description.contains(insert))
        // The same prepared statement, reset after the failure.
        try handle.run(insert, [.integer(2)])
        #expect(try Self.rows(handle, "SELECT k FROM keys ORDER BY k") == [[.integer(1)], [.integer(2)]])
    }

    @Test("SQL that does not parse is refused with the statement")
    func syntaxError() throws {
        let handle = try Self.open()
        defer { handle.close() }
        let failure = try #require(throws: SQLiteFailure.self) { try handle.run("SELEKT 1", []) }
        #expect(failure.message.contains("syntax error"))
        #expect(failure.description.contains("SELEKT 1"))
        #expect(handle.preparedCount == 0)
    }

    @Test("the wrong number of values is refused, not made up with NULLs")
    func bindCount() throws {
        let handle = try Self.open()
        defer { handle.close() }
        for binds: [SQLiteValue] in [[.integer(1)], [.integer(1), .integer(2), .integer(3)]] {
            let failure = try #require(throws: SQLiteFailure.self) { try handle.run("SELECT ?, ?", binds) }
            #expect(failure.message == "the statement takes 2 values; \(binds.count) were given")
        }
        #expect(try Self.rows(handle, "SELECT ?, ?", [.integer(1), .text("x")]) == [[.integer(1), .text("x")]])
    }

    @Test("the cache keeps at most its number of statements, and evicted ones prepare again")
    func boundedCache() throws {
        let handle = try Self.open()
        defer { handle.close() }
        let shapes = SQLiteHandle.cachedStatements * 2 + 5
        for round in 0..<2 {
            for number in 0..<shapes {
                let rows = try Self.rows(handle, "SELECT \(number) + ? AS n", [.integer(Int64(round))])
                #expect(rows == [[.integer(Int64(number + round))]])
            }
            #expect(handle.preparedCount == SQLiteHandle.cachedStatements)
        }
        // The most recently used statement is still kept: running it again adds none.
        _ = try Self.rows(handle, "SELECT \(shapes - 1) + ? AS n", [.integer(0)])
        #expect(handle.preparedCount == SQLiteHandle.cachedStatements)
    }

    @Test("a closed handle refuses to run, and closing twice is harmless")
    func closed() throws {
        let handle = try Self.open()
        _ = try Self.rows(handle, "SELECT 1")
        handle.close()
        handle.close()
        #expect(handle.isClosed)
        #expect(handle.preparedCount == 0)
        let failure = try #require(throws: SQLiteFailure.self) { try handle.run("SELECT 1", []) }
        #expect(failure.message == "the connection is closed")
    }

    @Test("a file that cannot be opened is refused with its path")
    func unopenable() throws {
        let failure = try #require(throws: SQLiteFailure.self) {
            try SQLiteHandle(path: "/nonexistent-huddle-directory/sub/db.sqlite")
        }
        #expect(failure.description.contains("/nonexistent-huddle-directory/sub/db.sqlite"))
    }
}
