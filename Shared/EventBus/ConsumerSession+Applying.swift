import Logging
import Messages
import Prometheus
import SQLKit
import Storage

extension ConsumerSession {
    /// Applies everything next in line, a batch per transaction; a batch that fails is applied
    /// again one event at a time, so one bad event cannot hold back the others.
    func applyReady() async throws {
        if !pendingRefusals.isEmpty {
            let letters = pendingRefusals
            try await consumer.database.write { sql in try await DeadLetter.insert(letters, in: sql) }
            pendingRefusals.removeAll()
            consumer.metrics.deadLetters.increment(by: Int64(letters.count))
            consumer.report { $0.deadLetters += letters.count }
        }
        while !tracker.ready.isEmpty {
            let batch = Array(tracker.ready.prefix(consumer.settings.batchSize))
            do {
                try await apply(batch)
                tracker.dropReady(batch.count)
            } catch {
                if error is CancellationError { throw error }
                consumer.logger.warning(
                    "batch failed; applying its events one by one",
                    metadata: ["events": "\(batch.count)", "error": "\(error)"]
                )
                for event in batch {
                    try await applyWithRetries(event)
                    tracker.dropReady(1)
                }
            }
        }
    }

    /// One transaction: the handler's effect, the dead letters of events that cannot be read, and
    /// the record of how far each stream is applied.
    private func apply(_ batch: [IncomingEvent]) async throws {
        var events: [BusEvent] = []
        var letters: [DeadLetter] = []
        events.reserveCapacity(batch.count)
        for incoming in batch {
            switch incoming.decoded {
            case .success(let event):
                // Unknown types are recorded as applied and skipped, as the wire rules say.
                if case .unrecognized = event.payload { continue }
                events.append(event)
            case .failure(let error):
                letters.append(DeadLetter(incoming, reason: Self.reason(for: error), error: "\(error)", attempts: 0))
            }
        }
        let handler = consumer.handler
        try await consumer.database.write { [events, letters] sql in
            if !events.isEmpty { try await handler.apply(events, in: sql) }
            try await DeadLetter.insert(letters, in: sql)
            try await ConsumerProgress.record(batch, in: sql)
        }
        for letter in letters {
            consumer.metrics.rejected(letter.reason)
            consumer.logger.warning(
                "bus event refused",
                metadata: [
                    "stream": "\(letter.key.map(\.description) ?? "")", "seq": "\(letter.seq ?? 0)",
                    "error": "\(letter.error)",
                ]
            )
        }
        consumer.metrics.deadLetters.increment(by: Int64(letters.count))
        consumer.report { $0.deadLetters += letters.count }
        consumer.metrics.applied.increment(by: Int64(events.count))
        consumer.report { $0.applied += UInt64(events.count) }
        consumer.onApplied?(events)
    }

    /// Applies one event, retrying with back-off; after the last attempt parks it in the dead
    /// letters (in the transaction that records it applied) and goes on.
    private func applyWithRetries(_ event: IncomingEvent) async throws {
        var delay = consumer.settings.retryBackoff
        var lastError: any Error = CancellationError()
        for attempt in 1...max(1, consumer.settings.maxAttempts) {
            do {
                try await apply([event])
                return
            } catch {
                if error is CancellationError { throw error }
                lastError = error
                consumer.logger.warning(
                    "event failed",
                    metadata: [
                        "stream": "\(event.key)", "seq": "\(event.seq)", "attempt": "\(attempt)", "error": "\(error)",
                    ]
                )
                if attempt < consumer.settings.maxAttempts {
                    try await Task.sleep(for: delay)
                    delay *= 2
                }
            }
        }
        let letter = DeadLetter(
            event,
            reason: "handler_failed",
            error: "\(lastError)",
            attempts: consumer.settings.maxAttempts
        )
        // If this fails too, the database itself is in trouble: the turn is retried, nothing skipped.
        try await consumer.database.write { sql in
            try await DeadLetter.insert([letter], in: sql)
            try await ConsumerProgress.record([event], in: sql)
        }
        consumer.metrics.deadLetters.increment()
        consumer.report { $0.deadLetters += 1 }
        consumer.logger.error(
            "event parked in the dead letters",
            metadata: ["stream": "\(event.key)", "seq": "\(event.seq)", "error": "\(lastError)"]
        )
    }

    private static func reason(for error: MessageDecodingError) -> String {
        error.code == .unsupportedSchemaVersion ? "unknown_schemaversion" : "undecodable"
    }
}
