import Foundation
import SQLKit
import Storage
import TestSupport

/// The processes of one bus test: proxies, probe publishers and consumers, each with its own
/// database on the backend under test.
struct BusRig {
    let backend: Backend
    var proxies: [BusProxyProcess]

    /// Starts `proxies` proxies and waits until they answer.
    static func start(_ backend: Backend, proxies count: Int = 1, highWaterMark: Int? = nil) async throws -> BusRig {
        var proxies: [BusProxyProcess] = []
        for _ in 0..<count { proxies.append(try BusProxyProcess(highWaterMark: highWaterMark)) }
        for proxy in proxies { try await proxy.ready() }
        return BusRig(backend: backend, proxies: proxies)
    }

    /// A publisher of `total` signals (`arguments` adds options), on a new database.
    func publisher(total: Int, _ arguments: [String] = []) async throws -> (ProbeProcess, database: String) {
        let database = try await backend.makeDatabase("publisher")
        let process = try ProbeProcess(
            ["publish", "--database", database, "--total", String(total)]
                + proxies.flatMap { ["--bus", $0.xsub] } + arguments,
            name: "publisher"
        )
        return (process, database)
    }

    /// A consumer that exits once it has applied `expect` events, on a new database.
    func consumer(
        _ name: String,
        expect: Int,
        _ arguments: [String] = []
    ) async throws -> (ProbeProcess, database: String) {
        let database = try await backend.makeDatabase(name)
        let process = try ProbeProcess(
            ["consume", "--name", name, "--database", database, "--expect", String(expect)]
                + proxies.flatMap { ["--bus", $0.xpub] } + arguments,
            name: name
        )
        return (process, database)
    }
}

/// What a probe consumer applied, read from its database.
struct AppliedEvents: Equatable {
    /// Rows in `probe_applied`: one per application.
    var applications: Int
    /// Distinct (publisher, stream, seq) among them.
    var distinct: Int
    /// Every application as `publisher stream seq event-id`, sorted.
    var entries: [String]

    static func read(_ url: String) async throws -> AppliedEvents {
        let database = try await Backend.open(url)
        defer { Task { await database.close() } }
        return try await database.read { sql in
            let entries = try await sql.raw("SELECT publisher, stream, seq, event_id FROM probe_applied").all().map {
                row in
                "\(try row.decode(column: "publisher", as: String.self)) \(try row.decode(column: "stream", as: String.self)) "
                    + "\(try row.decode(column: "seq", as: Int64.self)) \(try row.decode(column: "event_id", as: String.self))"
            }.sorted()
            let distinct = Set(entries.map { $0.split(separator: " ").prefix(3).joined(separator: " ") }).count
            return AppliedEvents(applications: entries.count, distinct: distinct, entries: entries)
        }
    }
}

/// A publisher's outbox streams: whether every stream's `seq` runs 1, 2, … with no hole.
struct OutboxStreams {
    var streams: Int
    var events: Int
    var holes: [String]

    static func read(_ url: String) async throws -> OutboxStreams {
        let database = try await Backend.open(url)
        defer { Task { await database.close() } }
        return try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT o.stream, COUNT(*) AS n, MIN(o.seq) AS lo, MAX(o.seq) AS hi, MAX(s.last_seq) AS last
                FROM bus_outbox o JOIN bus_outbox_streams s ON s.publisher = o.publisher AND s.stream = o.stream
                GROUP BY o.stream
                """
            ).all()
            var holes: [String] = []
            var events = 0
            for row in rows {
                let (n, lo, hi, last) = (
                    try row.decode(column: "n", as: Int64.self), try row.decode(column: "lo", as: Int64.self),
                    try row.decode(column: "hi", as: Int64.self), try row.decode(column: "last", as: Int64.self)
                )
                events += Int(n)
                if lo != 1 || hi != n || last != hi {
                    holes.append(
                        "\(try row.decode(column: "stream", as: String.self)): \(n) rows, seq \(lo)...\(hi), counter \(last)"
                    )
                }
            }
            return OutboxStreams(streams: rows.count, events: events, holes: holes)
        }
    }
}
