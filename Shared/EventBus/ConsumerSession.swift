import Foundation
import Logging
import Messages
import Prometheus
import SQLKit
import Storage
import Synchronization
import ZeroMQ

/// One run of a ``Consumer``: its sockets and its tracker, driven by one task.
///
/// Each turn of the loop takes what the subscription has (waiting briefly when nothing), applies
/// what is next in line, then fetches one round of each missing range by replay. Everything is
/// bounded: the socket's queue and high-water mark, the events held early, the replay credit.
final class ConsumerSession {
    let consumer: Consumer
    let context: Context
    let subscription: AsyncSocket
    var tracker: ConsumerTracker
    var replayEndpoints: [String: String] = [:]
    var replaySockets: [String: (endpoint: String, socket: AsyncSocket)] = [:]
    var replayBackoff: [String: ContinuousClock.Instant] = [:]
    var nextRequestID: UInt64 = 1
    var lostRanges: Set<StreamKey>
    let codec = BusCodec()
    private var lastReport = ContinuousClock.now

    private init(
        consumer: Consumer,
        context: Context,
        subscription: AsyncSocket,
        tracker: ConsumerTracker,
        lost: Set<StreamKey>
    ) {
        self.consumer = consumer
        self.context = context
        self.subscription = subscription
        self.tracker = tracker
        self.lostRanges = lost
    }

    /// Reads how far each stream was applied, then subscribes.
    static func start(consumer: Consumer) async throws -> ConsumerSession {
        let progress = try await ConsumerProgress.load(database: consumer.database)
        let settings = consumer.settings
        let metrics = consumer.metrics
        let logger = consumer.logger
        let context = try Context()
        let subscription = try await AsyncSocket(
            context: context,
            type: .subscribe,
            configuration: .init(
                receiveQueueCapacity: settings.receiveQueueCapacity,
                receiveLimits: ReceiveLimits(maxFrames: 2, maxBytes: settings.maxEnvelopeBytes + 256),
                onRejectedMessage: { [consumer] error in
                    metrics.rejected("over_limits")
                    consumer.report { $0.rejected += 1 }
                    logger.warning("bus message over the limits dropped", metadata: ["error": "\(error)"])
                }
            )
        ) { socket in
            try socket.setOption(.receiveHighWaterMark, settings.receiveHighWaterMark)
            // Above the proxy's own cap, so an oversize frame is seen and counted here rather
            // than disconnecting the proxy.
            try socket.setOption(.maximumMessageSize, Int64(64 << 20))
            try socket.setOption(.linger, .after(.zero))
            try socket.subscribe(Heartbeat.topic)
            for prefix in settings.streams.topicPrefixes { try socket.subscribe(prefix) }
            for endpoint in settings.busEndpoints { try socket.connect(endpoint) }
        }
        logger.info(
            "consumer started",
            metadata: [
                "bus": "\(settings.busEndpoints.joined(separator: ","))", "streams": "\(progress.applied.count)",
                "lostRanges": "\(progress.lost.count)",
            ]
        )
        metrics.lostRanges.set(Double(progress.lost.count))
        consumer.report { $0.lostRanges = progress.lost.count }
        return ConsumerSession(
            consumer: consumer,
            context: context,
            subscription: subscription,
            tracker: ConsumerTracker(
                applied: progress.applied,
                stalled: progress.lost,
                earlyCapacity: settings.earlyCapacity
            ),
            lost: progress.lost
        )
    }

    func close() {
        for (_, replay) in replaySockets {
            Task { [socket = replay.socket] in try? await socket.close(drainTimeout: .zero) }
        }
        Task { [subscription] in try? await subscription.close(drainTimeout: .zero) }
    }

    /// Runs until cancelled; a database failure is logged and the turn retried a second later.
    func run() async throws {
        while !Task.isCancelled && !consumer.stopRequested.load(ordering: .relaxed) {
            do {
                let messages = try await subscription.receiveBatch(
                    maxCount: consumer.settings.batchSize,
                    timeout: tracker.ready.isEmpty ? .milliseconds(100) : .zero
                )
                for message in messages { take(LiveMessage(message, codec: codec)) }
                try await applyReady()
                try await replayMissing()
                reportIfDue()
            } catch is CancellationError {
                return
            } catch let error as ZeroMQError where error.code == .socketClosed {
                return
            } catch {
                consumer.logger.error("consumer turn failed; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Takes in one decoded live message: a heartbeat, an event for the tracker, or a refusal.
    private func take(_ message: LiveMessage) {
        switch message {
        case .heartbeat(let heartbeat):
            replayEndpoints[heartbeat.publisher] = heartbeat.replay
            tracker.heard(heartbeat, follows: consumer.settings.streams.contains)
        case .event(let event):
            guard consumer.settings.streams.contains(event.key.stream) else { return }
            offer(event)
        case .refused(let message, let reason, let error):
            refuse(message, reason: reason, error: error)
        }
    }

    func offer(_ event: IncomingEvent) {
        switch tracker.offer(event) {
        case .duplicate:
            consumer.metrics.duplicates.increment()
            consumer.report { $0.duplicatesDropped += 1 }
        case .ready, .early, .deferred, .stalled: break
        }
    }

    /// Counts, logs and parks a message that cannot be sequenced.
    private func refuse(_ message: Message, reason: String, error: String) {
        consumer.metrics.rejected(reason)
        consumer.logger.warning("bus message refused", metadata: ["reason": "\(reason)", "error": "\(error)"])
        let topic = message.frames.first ?? []
        let envelope = message.frames.dropFirst().first ?? []
        pendingRefusals.append(DeadLetter(topic: topic, envelope: envelope, reason: reason, error: error))
    }

    var pendingRefusals: [DeadLetter] = []

    private func reportIfDue() {
        let now = ContinuousClock.now
        guard now - lastReport >= .seconds(1) else { return }
        lastReport = now
        let lag = tracker.lag
        consumer.metrics.lag.set(Double(lag))
        consumer.metrics.early.set(Double(tracker.earlyEvents))
        consumer.metrics.gaps.set(Double(tracker.gapsDetected))
        consumer.metrics.lastApplied(tracker.positions)
        let gaps = tracker.gapsDetected
        consumer.report {
            $0.lag = lag
            $0.gapsDetected = gaps
        }
    }
}
