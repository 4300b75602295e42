import Logging
import Messages
import Prometheus
import SQLKit
import Storage
import ZeroMQ

extension ConsumerSession {
    /// Fetches one round (at most the credit) of every missing range whose publisher's replay
    /// endpoint is known, applying as it goes.
    func replayMissing() async throws {
        let now = ContinuousClock.now
        let known = tracker.gapsDetected
        let gaps = tracker.gaps()
        if tracker.gapsDetected > known {
            consumer.logger.info(
                "gaps detected; fetching by replay",
                metadata: [
                    "new": "\(tracker.gapsDetected - known)", "open": "\(gaps.count)",
                    "first": "\(gaps.first.map { "\($0.key) \($0.from)...\($0.through)" } ?? "")",
                ]
            )
        }
        for gap in gaps {
            guard let endpoint = replayEndpoints[gap.key.publisher] else { continue }
            if let until = replayBackoff[gap.key.publisher], until > now { continue }
            try await fetch(gap, from: endpoint)
            try await applyReady()
        }
    }

    private func fetch(_ gap: ConsumerTracker.Gap, from endpoint: String) async throws {
        let settings = consumer.settings
        let socket = try await replaySocket(for: gap.key.publisher, endpoint: endpoint)
        let requestID = nextRequestID
        nextRequestID += 1
        let credit = Int(min(UInt64(settings.replayCredit), gap.through - gap.from + 1))
        let request = ReplayRequest(
            requestID: requestID,
            stream: gap.key.stream,
            from: gap.from,
            through: gap.through,
            credit: credit
        )
        try await socket.send(Message(frames: [Array(ReplayCommand.fetch.utf8), try codec.encode(request)]))
        consumer.metrics.replaysRequested.increment()
        consumer.report { $0.replaysRequested += 1 }
        let deadline = ContinuousClock.now + settings.replayTimeout
        let tag = Array(String(requestID).utf8)
        var received = 0
        while received <= credit {
            let remaining = deadline - ContinuousClock.now
            let replies = remaining > .zero ? try await socket.receiveBatch(maxCount: 512, timeout: remaining) : []
            if replies.isEmpty {
                consumer.logger.warning(
                    "replay timed out",
                    metadata: ["stream": "\(gap.key)", "endpoint": "\(endpoint)"]
                )
                replayBackoff[gap.key.publisher] = ContinuousClock.now + .seconds(1)
                return
            }
            for reply in replies {
                switch reply.string(at: 0) {
                case ReplayCommand.event where reply.frames.count == 4 && reply.frames[1] == tag:
                    received += 1
                    consumer.metrics.replayedEvents.increment()
                    switch IncomingEvent.read(topic: reply.frames[2], envelope: reply.frames[3], codec: codec) {
                    case .success(let event) where event.key == gap.key: offer(event)
                    case .success, .failure:
                        consumer.metrics.rejected("bad_replay")
                    }
                case ReplayCommand.end:
                    if let end = try? codec.decode(ReplayEnd.self, from: reply.frames.last ?? []),
                        end.requestID == requestID
                    {
                        return
                    }
                case ReplayCommand.purged:
                    if let purged = try? codec.decode(ReplayPurged.self, from: reply.frames.last ?? []),
                        purged.requestID == requestID
                    {
                        try await raiseLostRange(gap.key, purged)
                        return
                    }
                case ReplayCommand.error:
                    consumer.logger.error(
                        "replay refused",
                        metadata: [
                            "stream": "\(gap.key)",
                            "reply": "\(String(decoding: reply.frames.last ?? [], as: UTF8.self))",
                        ]
                    )
                    replayBackoff[gap.key.publisher] = ContinuousClock.now + .seconds(1)
                    return
                default:
                    break  // A late reply to an abandoned request.
                }
            }
        }
    }

    /// A DEALER to the publisher's replay endpoint, re-created when the endpoint moves.
    private func replaySocket(for publisher: String, endpoint: String) async throws -> AsyncSocket {
        if let existing = replaySockets[publisher], existing.endpoint == endpoint { return existing.socket }
        if let old = replaySockets.removeValue(forKey: publisher) { try? await old.socket.close(drainTimeout: .zero) }
        let socket = try await AsyncSocket(
            context: context,
            type: .dealer,
            configuration: .init(
                receiveLimits: ReceiveLimits(maxFrames: 4, maxBytes: consumer.settings.maxEnvelopeBytes + 256)
            )
        ) { socket in
            try socket.setOption(.linger, .after(.zero))
            try socket.connect(endpoint)
        }
        replaySockets[publisher] = (endpoint, socket)
        return socket
    }

    /// Stops the stream at a purged range and raises the alarm: a row in `bus_lost_ranges`, the
    /// `huddle_bus_lost_ranges` gauge, an error log. An operator resolves it (see the README).
    private func raiseLostRange(_ key: StreamKey, _ purged: ReplayPurged) async throws {
        tracker.stall(key)
        lostRanges.insert(key)
        let now = Timestamps.nowMilliseconds()
        try await consumer.database.write { sql in
            try await sql.raw(
                """
                INSERT INTO bus_lost_ranges (publisher, stream, from_seq, through_seq, detected_at)
                VALUES (\(bind: key.publisher), \(bind: key.stream.description), \(bind: Int64(purged.from)),
                        \(bind: Int64(purged.through)), \(bind: now))
                ON CONFLICT (publisher, stream, from_seq) DO NOTHING
                """
            ).run()
        }
        consumer.metrics.lostRanges.set(Double(lostRanges.count))
        consumer.report { [count = lostRanges.count] in $0.lostRanges = count }
        consumer.logger.error(
            "events lost: the publisher purged a range this consumer never applied; the stream is stopped until an operator resolves it",
            metadata: ["stream": "\(key)", "from": "\(purged.from)", "through": "\(purged.through)"]
        )
    }
}
