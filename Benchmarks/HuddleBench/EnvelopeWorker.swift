import Foundation
import Messages
import ZeroMQ

/// Bus envelopes end to end between two processes: the sender builds a signal envelope per
/// message (own id, time and seq), encodes it and sends `[topic, envelope]` over PUSH; the
/// receiver decodes every envelope into a `BusEvent` and checks its seq. The codec is either
/// Huddle's bus codec or Foundation's `JSONEncoder`/`JSONDecoder`, for comparison.
enum EnvelopeWorker {
    enum Codec: String {
        case bus, foundation
    }

    /// A typical web signal with a small properties map; with its header, about 400 bytes of JSON.
    static let signal = Signal(
        id: "sig-0001",
        source: .web,
        kind: "page-viewed",
        occurredAt: Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000),
        accountID: "acc-7d2f91",
        properties: ["path": .string("/pricing"), "seconds": .int(48), "returning": .bool(true)]
    )

    /// The size of one encoded envelope, for the report.
    static var encodedSize: Int {
        var generator = EventIDGenerator()
        var random = SystemRandomNumberGenerator()
        return (try? BusCodec().encode(envelope(seq: 1, generator: &generator, random: &random)).count) ?? 0
    }

    /// The envelope of message `seq`: its own id, time and seq around the same payload (building
    /// the payload is the application's work, not part of encode → send → receive → decode).
    static func envelope(
        seq: UInt64,
        generator: inout EventIDGenerator,
        random: inout some RandomNumberGenerator
    )
        -> BusEvent
    {
        let now = Timestamp.now()
        let header = EnvelopeHeader(
            id: generator.next(at: now, using: &random),
            source: "/huddle/signals",
            type: .signalRecorded,
            time: now,
            publisher: "signals-1",
            stream: StreamName(family: .signal, bucket: AccountBucket(accountID: "acc-7d2f91")),
            seq: seq
        )
        return BusEvent(header: header, payload: .signalRecorded(signal))
    }

    static func send(codec: Codec, endpoint: String, count: Int) throws {
        let context = try Context()
        let socket = try Socket(context: context, type: .push)
        try BenchWorker.configure(socket)
        try socket.connect(endpoint)
        let busCodec = BusCodec()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var generator = EventIDGenerator()
        var random = SystemRandomNumberGenerator()
        let topic = try envelope(seq: 1, generator: &generator, random: &random).topic().bytes
        for seq in 1...UInt64(count) {
            let event = envelope(seq: seq, generator: &generator, random: &random)
            let body = codec == .bus ? try busCodec.encodeEvent(event) : Array(try encoder.encode(event))
            try socket.send(topic, more: true)
            try socket.send(body)
        }
        socket.close()
    }

    static func receive(codec: Codec, count: Int) throws {
        let context = try Context()
        let socket = try Socket(context: context, type: .pull)
        try BenchWorker.configure(socket)
        try socket.setOption(.receiveTimeout, .milliseconds(20_000))
        try socket.bind("tcp://127.0.0.1:*")
        BenchWorker.announce(endpoint: try socket.lastEndpoint())
        let busCodec = BusCodec()
        let decoder = JSONDecoder()
        var start = ContinuousClock.now
        for index in 0..<count {
            guard let message = try socket.receive() else {
                BenchWorker.fail("timed out after \(index) of \(count) envelopes")
            }
            let event =
                codec == .bus
                ? try busCodec.decodeEvent(from: message.frames[1])
                : try decoder.decode(BusEvent.self, from: Data(message.frames[1]))
            guard event.header.seq == UInt64(index + 1) else {
                BenchWorker.fail("envelope \(index + 1) arrived with seq \(event.header.seq)")
            }
            if index == 0 { start = .now }
        }
        BenchWorker.report(count: count, since: start)
        socket.close()
    }
}
