import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import Storage

@Suite("SQLite's WAL starts over while a writer commits without pause")
struct CheckpointTests {
    @Test("the WAL holds a few checkpoint intervals of frames, not every frame ever written")
    func walStartsOver() async throws {
        let url = try await Backend.sqlite.makeDatabase("checkpoint")
        let database = try await Database.open(
            try DatabaseLocation(url: url, dataDirectory: ".", name: "checkpoint"),
            logger: Logger(label: "checkpoint-tests"),
            checkpointInterval: .milliseconds(100),
            walRestartFrames: 200
        )
        defer { Task { await database.close() } }
        try await database.write { sql in
            try await sql.raw("CREATE TABLE counts (slot INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await sql.raw("INSERT INTO counts VALUES (1, 0)").run()
        }
        // Every transaction writes at least one frame. At least 2,000 of them over at least a
        // second (ten checkpoints or more), counted rather than timed: on a busy machine two
        // seconds held fewer than 400 transactions. The WAL starts over once it holds 200 frames,
        // so it ends with those and at most one interval's worth more. (A writer that pauses lets
        // the read connection's checkpoint finish by itself, and the WAL starts over sooner.)
        var transactions = 0
        let clock = ContinuousClock()
        let start = clock.now
        while transactions < 2000 || clock.now - start < .seconds(1) {
            try #require(clock.now - start < .seconds(120), "only \(transactions) transactions in two minutes")
            try await database.write { sql in try await sql.raw("UPDATE counts SET n = n + 1 WHERE slot = 1").run() }
            transactions += 1
        }
        let checkpoint = try #require(
            try await database.read { sql in try await sql.raw("PRAGMA wal_checkpoint(PASSIVE)").first() }
        )
        let framesInWAL = try checkpoint.decode(column: "log", as: Int.self)
        #expect(framesInWAL < transactions / 2, "\(framesInWAL) frames in the WAL after \(transactions) transactions")
    }
}
