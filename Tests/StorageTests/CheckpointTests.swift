import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import Storage

@Suite("SQLite's WAL starts over while a writer commits without pause")
struct CheckpointTests {
    @Test("the WAL file stops growing: it ends far smaller than every frame ever written")
    func walStartsOver() async throws {
        let url = try await Backend.sqlite.makeDatabase("checkpoint")
        let database = try await Database.open(
            try DatabaseLocation(url: url, dataDirectory: ".", name: "checkpoint"),
            logger: Logger(label: "checkpoint-tests"),
            checkpointInterval: .milliseconds(100),
            walRestartFrames: 200
        )
        defer { Task { await database.close() } }
        let pageSize = try await database.write { sql in
            try await sql.raw("CREATE TABLE counts (slot INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await sql.raw("INSERT INTO counts VALUES (1, 0)").run()
            return try #require(try await sql.raw("PRAGMA page_size").first()).decode(column: "page_size", as: Int.self)
        }
        guard case .sqlite(let path) = database.location else {
            Issue.record("\(database.location) is not an SQLite file")
            return
        }
        let walFile = path + "-wal"
        // Every transaction appends at least one frame, and a WAL that starts over is written again
        // from its beginning without being cut short, so the file's size counts the most frames it
        // ever held at once. Without restarts that is every frame ever written; with them, about
        // `walRestartFrames` plus what is written while a checkpoint waits its turn. That wait can
        // be seconds on a machine busy with parallel tests, so the writer goes on until the file is
        // under half its transactions' frames, and a WAL that never starts over fails by the deadline.
        var transactions = 0
        var framesInFile = 0
        let clock = ContinuousClock()
        let start = clock.now
        repeat {
            // Bounded in count too: a WAL that never starts over would fill the disk by the deadline.
            try #require(
                clock.now - start < .seconds(60) && transactions < 50_000,
                "after \(transactions) transactions the WAL file still holds \(framesInFile) frames"
            )
            try await database.write { sql in try await sql.raw("UPDATE counts SET n = n + 1 WHERE slot = 1").run() }
            transactions += 1
            let bytes = try FileManager.default.attributesOfItem(atPath: walFile)[.size] as? Int ?? 0
            // A 32-byte file header, then frames of a 24-byte header and a page each.
            framesInFile = max(0, bytes - 32) / (pageSize + 24)
        } while transactions < 2000 || clock.now - start < .seconds(1) || framesInFile >= transactions / 2
    }
}
