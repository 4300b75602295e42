import Foundation
import Messages
import SQLKit
import Storage

/// A bus message a consumer could not apply, kept with its raw bytes and why.
struct DeadLetter: Sendable {
    var key: StreamKey?
    var seq: UInt64?
    var topic: [UInt8]
    var envelope: [UInt8]
    /// A short machine-readable reason: `undecodable`, `frame_count`, `handler_failed`, …
    var reason: String
    /// The full error.
    var error: String
    var attempts = 0

    init(topic: [UInt8], envelope: [UInt8], reason: String, error: String) {
        self.topic = topic
        self.envelope = envelope
        self.reason = reason
        self.error = error
    }

    init(_ event: IncomingEvent, reason: String, error: String, attempts: Int) {
        self.init(topic: event.topic, envelope: event.envelope, reason: reason, error: error)
        key = event.key
        seq = event.seq
        self.attempts = attempts
    }

    /// Writes dead letters in the caller's transaction.
    static func insert(_ letters: [DeadLetter], in sql: any SQLDatabase) async throws {
        guard !letters.isEmpty else { return }
        let now = Timestamps.nowMilliseconds()
        let insert = sql.insert(into: "bus_dead_letters")
            .columns("received_at", "publisher", "stream", "seq", "topic", "envelope", "reason", "error", "attempts")
        for letter in letters {
            insert.values(
                now,
                letter.key?.publisher,
                letter.key?.stream.description,
                letter.seq.map { Int64($0) },
                Data(letter.topic),
                Data(letter.envelope),
                letter.reason,
                String(letter.error.prefix(4000)),
                letter.attempts
            )
        }
        try await insert.run()
    }
}
