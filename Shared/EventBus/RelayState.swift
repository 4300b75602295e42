import Messages
import SQLKit
import Storage

/// What the relay knows: how far it has sent, and the latest `seq` it sent on each stream.
struct RelayState: Sendable {
    /// The position of the last row sent.
    var cursor: Int64
    /// The latest `seq` sent on each stream since start.
    var sent: [StreamName: UInt64] = [:]
    /// Every stream's latest `seq` when the relay started, and the outbox position then: once the
    /// relay has sent that far, heartbeats can vouch for streams that saw nothing new since.
    let startStreams: [StreamName: UInt64]
    let startPosition: Int64

    /// Reads the persisted cursor and the streams' counters.
    static func load(publisher: Publisher) async throws -> RelayState {
        try await publisher.database.read { sql in
            let cursor =
                try await sql.raw(
                    "SELECT relayed_position FROM bus_relay_cursor WHERE publisher = \(bind: publisher.id)"
                ).first().map { try $0.decode(column: "relayed_position", as: Int64.self) } ?? 0
            let position =
                try await sql.raw("SELECT last_position FROM bus_outbox_counter WHERE slot = 1").first()
                .map { try $0.decode(column: "last_position", as: Int64.self) } ?? 0
            var streams: [StreamName: UInt64] = [:]
            for row in try await sql.raw(
                "SELECT stream, last_seq FROM bus_outbox_streams WHERE publisher = \(bind: publisher.id)"
            ).all() {
                let stream = try StreamName(try row.decode(column: "stream", as: String.self))
                streams[stream] = UInt64(try row.decode(column: "last_seq", as: Int64.self))
            }
            return RelayState(cursor: cursor, startStreams: streams, startPosition: position)
        }
    }

    /// The latest `seq` of each stream that has certainly been sent.
    func heartbeatStreams() -> [StreamName: UInt64] {
        guard cursor >= startPosition else { return sent }
        return startStreams.merging(sent, uniquingKeysWith: max)
    }
}
