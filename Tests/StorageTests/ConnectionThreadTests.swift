import Foundation
import Logging
import SQLKit
import TestSupport
import Testing

@testable import Storage

@Suite("An SQLite connection's thread runs its statements and the code between them")
struct ConnectionThreadTests {
    /// The calling thread.
    private static func threadID() -> pthread_t { pthread_self() }

    @Test(
        "a write transaction runs on one thread from BEGIN to COMMIT, and reads on another",
        .timeLimit(.minutes(1))
    )
    func transactionStaysOnOneThread() async throws {
        let database = try await Backend.open(try await Backend.sqlite.makeDatabase("connection-thread"))
        defer { Task { await database.close() } }
        try await database.write { sql in
            try await sql.raw("CREATE TABLE numbers (n INTEGER PRIMARY KEY)").run()
        }
        // Without the connection's thread as executor, the code after each statement resumes on
        // whichever of Swift's threads is free.
        let writers = try await database.write { sql in
            var seen = [Self.threadID()]
            for number in 1...50 {
                try await sql.raw("INSERT INTO numbers VALUES (\(bind: number))").run()
                seen.append(Self.threadID())
                try await sql.insertRows(into: "numbers", columns: ["n"], rows: [[.integer(Int64(1000 + number))]])
                seen.append(Self.threadID())
            }
            return Set(seen.map { UInt($0) })
        }
        #expect(writers.count == 1, "the transaction ran on threads \(writers.sorted())")
        let readers = try await database.read { sql in
            var seen = [Self.threadID()]
            for _ in 1...20 {
                _ = try await sql.raw("SELECT COUNT(*) AS c FROM numbers").first()
                seen.append(Self.threadID())
            }
            return Set(seen.map { UInt($0) })
        }
        #expect(readers.count == 1, "the reads ran on threads \(readers.sorted())")
        #expect(readers != writers, "reads and writes share a thread, so a read would wait for a write")
        let count = try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS c FROM numbers").first()!.decode(column: "c", as: Int.self)
        }
        #expect(count == 100)
    }

    @Test(
        "code near the writer runs on the write connection's thread, before, inside and after its transactions",
        .timeLimit(.minutes(1))
    )
    func nearWriterSharesTheThread() async throws {
        let database = try await Backend.open(try await Backend.sqlite.makeDatabase("near-writer"))
        defer { Task { await database.close() } }
        let writer = try await database.write { _ in UInt(Self.threadID()) }
        let seen = try await database.nearWriter {
            var seen = [UInt(Self.threadID())]
            for _ in 1...20 {
                seen.append(try await database.write { _ in UInt(Self.threadID()) })
                seen.append(UInt(Self.threadID()))
                await Task.yield()
                seen.append(UInt(Self.threadID()))
            }
            return Set(seen)
        }
        #expect(seen == [writer], "the code ran on threads \(seen.sorted()), the writer is \(writer)")
    }

    @Test("work sent to a stopped thread still runs, so nothing that awaits it hangs", .timeLimit(.minutes(1)))
    func runsAfterStop() async throws {
        let thread = ConnectionThread()
        await thread.stop()
        let answer = await withTaskExecutorPreference(thread) { () async -> Int in
            await Task.yield()
            return 42
        }
        #expect(answer == 42)
    }
}
