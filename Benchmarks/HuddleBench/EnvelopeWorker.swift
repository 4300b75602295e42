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

    /// A typical web signal: about 360 bytes of JSON with a properties map.
    static func envelope(
        seq: UInt64,
        generator: inout EventIDGenerator,
        random: inout some RandomNumberGenerator
    )
        -> BusEvent
    {
        let now = Timestamp.now()
        let accountID = "acc-7d2f91"
        let signal = Signal(
            id: "sig-\(seq)",
            source: .web,
            kind: "page-viewed",
            occurredAt: now,
            accountID: accountID,
            personEmail: "dana.lee@example.com",
            properties: [
                "path": .string("/pricing/enterprise"),
                "referrer": .string("https://www.example.com/blog/roi"),
                "durationSeconds": .int(48),
                "scrollDepth": .double(0.85),
                "returning": .bool(true),
            ]
        )
        let header = EnvelopeHeader(
            id: generator.next(at: now, using: &random),
            source: "/huddle/signals",
            type: .signalRecorded,
            time: now,
            publisher: "signals-1",
            stream: StreamName(family: .signal, bucket: AccountBucket(accountID: accountID)),
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
        var building = Duration.zero
        var encoding = Duration.zero
        let clock = ContinuousClock()
        for seq in 1...UInt64(count) {
            let start = clock.now
            let event = envelope(seq: seq, generator: &generator, random: &random)
            let built = clock.now
            let body = codec == .bus ? try busCodec.encode(event) : Array(try encoder.encode(event))
            encoding += clock.now - built
            building += built - start
            try socket.send(try event.topic().bytes, more: true)
            try socket.send(body)
        }
        FileHandle.standardError.write(Data("sender: build \(building / count) encode \(encoding / count)\n".utf8))
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
        var decoding = Duration.zero
        for index in 0..<count {
            guard let message = try socket.receive() else {
                BenchWorker.fail("timed out after \(index) of \(count) envelopes")
            }
            let decodeStart = ContinuousClock.now
            let event =
                codec == .bus
                ? try busCodec.decodeEvent(from: message.frames[1])
                : try decoder.decode(BusEvent.self, from: Data(message.frames[1]))
            decoding += ContinuousClock.now - decodeStart
            guard event.header.seq == UInt64(index + 1) else {
                BenchWorker.fail("envelope \(index + 1) arrived with seq \(event.header.seq)")
            }
            if index == 0 { start = .now }
        }
        FileHandle.standardError.write(Data("receiver: decode \(decoding / count)\n".utf8))
        BenchWorker.report(count: count, since: start)
        socket.close()
    }
}
