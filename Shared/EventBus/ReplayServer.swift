import Foundation
import Logging
import Messages
import Storage
import ZeroMQ

/// A publisher's replay endpoint: a ROUTER that serves any retained range of its streams.
///
/// Requests are served one at a time, each with at most the credit the consumer granted (and never
/// more than ``maximumCredit``), so a consumer far behind costs bounded memory on both sides.
final class ReplayServer: Sendable {
    /// The most events one request is answered with, whatever the consumer asked for.
    static let maximumCredit = 5000

    /// The endpoint consumers connect to, as advertised in heartbeats.
    let advertised: String
    private let socket: AsyncSocket
    private let publisher: Publisher
    private let metrics: PublisherMetrics
    private let logger: Logger
    private let codec = BusCodec()

    private init(
        advertised: String,
        socket: AsyncSocket,
        publisher: Publisher,
        metrics: PublisherMetrics,
        logger: Logger
    ) {
        self.advertised = advertised
        self.socket = socket
        self.publisher = publisher
        self.metrics = metrics
        self.logger = logger
    }

    /// Binds the replay endpoint.
    static func start(
        context: Context,
        publisher: Publisher,
        settings: PublisherSettings,
        metrics: PublisherMetrics,
        logger: Logger
    ) async throws -> ReplayServer {
        let socket = try await AsyncSocket(
            context: context,
            type: .router,
            configuration: .init(receiveLimits: ReceiveLimits(maxFrames: 3, maxBytes: 64 * 1024))
        ) { socket in
            try socket.setOption(.linger, .after(.seconds(1)))
            try socket.setOption(.sendHighWaterMark, Int32(maximumCredit * 4))
            try socket.bind(settings.replayBind)
        }
        let bound = try await socket.perform { try $0.lastEndpoint() }
        guard let port = bound.split(separator: ":").last else {
            throw BusError.invalidEndpoint(bound, "a replay endpoint must be tcp://host:port")
        }
        let advertised = "tcp://\(settings.replayAdvertiseHost):\(port)"
        return ReplayServer(
            advertised: advertised,
            socket: socket,
            publisher: publisher,
            metrics: metrics,
            logger: logger
        )
    }

    /// Serves requests until cancelled.
    func serve() async {
        while !Task.isCancelled {
            let request: Message
            do {
                request = try await socket.receive()
            } catch {
                return
            }
            guard request.frames.count == 3, let peer = request.frames.first else { continue }
            do {
                try await answer(request.frames[2], command: request.string(at: 1), to: peer)
            } catch {
                logger.error("replay failed", metadata: ["publisher": "\(publisher.id)", "error": "\(error)"])
                let reply = ReplayError(requestID: nil, reason: "the publisher could not read its outbox: \(error)")
                try? await socket.send(
                    Message(frames: [peer, Array(ReplayCommand.error.utf8), try codec.encode(reply)])
                )
            }
        }
    }

    func close() async {
        try? await socket.close(drainTimeout: .seconds(1))
    }

    private func answer(_ body: [UInt8], command: String?, to peer: [UInt8]) async throws {
        let request: ReplayRequest
        do {
            guard command == ReplayCommand.fetch else {
                throw MessageDecodingError(code: .invalidValue, path: "command", reason: "must be FETCH")
            }
            request = try codec.decode(ReplayRequest.self, from: body)
            guard request.from >= 1, request.through >= request.from else {
                throw MessageDecodingError(
                    code: .invalidValue,
                    path: "from",
                    reason: "must be 1 or more and at most through"
                )
            }
        } catch {
            let reply = ReplayError(requestID: nil, reason: "\(error)")
            try await socket.send(Message(frames: [peer, Array(ReplayCommand.error.utf8), try codec.encode(reply)]))
            return
        }
        let credit = min(max(request.credit, 1), Self.maximumCredit)
        let range = try await publisher.database.read { [publisher] sql in
            try await OutboxRange.read(
                publisher: publisher.id,
                stream: request.stream,
                from: request.from,
                through: request.through,
                limit: credit,
                in: sql
            )
        }
        let rows = range.rows
        metrics.replayServed(events: rows.count)
        if let through = range.purgedThrough {
            let reply = ReplayPurged(
                requestID: request.requestID,
                stream: request.stream,
                from: request.from,
                through: through
            )
            logger.warning(
                "replay asked for a purged range",
                metadata: [
                    "publisher": "\(publisher.id)", "stream": "\(request.stream)", "from": "\(request.from)",
                    "through": "\(through)",
                ]
            )
            metrics.purgedRangeAnswered()
            try await socket.send(Message(frames: [peer, Array(ReplayCommand.purged.utf8), try codec.encode(reply)]))
            return
        }
        let requestID = Array(String(request.requestID).utf8)
        for row in rows {
            try await socket.send(
                Message(frames: [peer, Array(ReplayCommand.event.utf8), requestID, Array(row.topic.utf8), row.envelope])
            )
        }
        let end = ReplayEnd(requestID: request.requestID, sent: rows.count, last: rows.last?.seq ?? request.from - 1)
        try await socket.send(Message(frames: [peer, Array(ReplayCommand.end.utf8), try codec.encode(end)]))
    }
}
