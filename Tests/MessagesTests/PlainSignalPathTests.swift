import Foundation
import Testing

@testable import Messages

/// `BusCodec.decodeEvent` and `encodeEvent` read and write plain signal events without Codable's
/// containers; these tests hold them to the Codable path (`decode(BusEvent.self, from:)`,
/// `encode(_:)`): the same event for every message one accepts, the same error for every message
/// one refuses, the same bytes for every event written.
@Suite("plain signal paths")
struct PlainSignalPathTests {
    let codec = BusCodec()

    /// Both paths on `bytes`: equal events, or equal errors.
    func expectSameOutcome(_ bytes: [UInt8], _ comment: Comment? = nil) {
        let plain = Result { () throws(MessageDecodingError) in try codec.decodeEvent(from: bytes) }
        let general = Result { () throws(MessageDecodingError) in try codec.decode(BusEvent.self, from: bytes) }
        #expect(plain == general, comment)
    }

    /// Whether the plain path reads `text` itself (rather than leaving it to the Codable path).
    func readsPlainly(_ text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        let decoder = try bytes.withUnsafeBytes { try TapeDecoder(parsing: $0, limits: .standard) }
        return decoder.plainSignalEvent() != nil
    }

    @Test("the signal fixture takes the plain path and decodes as the Codable path decodes it")
    func fixture() throws {
        let text = try Fixture.signalText()
        #expect(try readsPlainly(text))
        expectSameOutcome(Array(text.utf8))
    }

    /// Edits of one field, each either still a valid signal or broken in one way.
    static let edits: [(from: String, to: String)] = [
        // Optional fields absent, null, escaped, or of the wrong type.
        (#""accountDomain":"nordwind-logistik.de","#, ""),
        (#""accountDomain":"nordwind-logistik.de""#, #""accountDomain":null"#),
        (#""accountID":"acc-nordwind-logistik""#, #""accountID":"acc-\u006eordwind""#),
        (#""accountID":"acc-nordwind-logistik""#, #""accountID":42"#),
        (#""personEmail":"ingrid.solberg@nordwind-logistik.de","#, ""),
        (#""stakeholderID":"stk-ingrid-solberg""#, #""stakeholderID":null"#),
        (#""stakeholderID":"stk-ingrid-solberg""#, #""stakeholderID":["stk"]"#),
        // Required payload fields missing, null or mistyped; an unknown source.
        (#""id":"seg-7d1c0f9e-4b2a","#, ""),
        (#""kind":"page-viewed""#, #""kind":null"#),
        (#""occurredAt":"2026-11-25T02:31:32.123456Z""#, #""occurredAt":"yesterday""#),
        (#""source":"web""#, #""source":"call-centre""#),
        (#""source":"web""#, #""source":7"#),
        (#"{"durationSeconds":47,"#, #"{"nested":{"a":1},"durationSeconds":47,"#),
        (#""properties":{"#, #""properties":null,"ignored":{"#),
        (#""properties":{"#, #""ignored":{"#),
        // Header fields missing, mistyped or breaking a rule.
        (#""specversion":"1.0""#, #""specversion":"0.3""#),
        (#""datacontenttype":"application/json""#, #""datacontenttype":"text/plain""#),
        (#""source":"/huddle/signals""#, #""source":"""#),
        (#""publisher":"signals-7f2c""#, #""publisher":"""#),
        (#""seq":1204877"#, #""seq":0"#),
        (#""seq":1204877"#, #""seq":-3"#),
        (#""seq":1204877"#, #""seq":"1204877""#),
        (#""seq":1204877"#, #""seq":1204877.5"#),
        (#""schemaversion":1"#, #""schemaversion":2"#),
        (#""stream":"signal.7b""#, #""stream":"signal.7B""#),
        (#""time":"2026-11-25T02:31:32.987654Z""#, #""time":1764037892"#),
        (#""id":"01a2108b-477b-76e9-8a3b-f8ccec99bc40""#, #""id":"01a2108b""#),
        (#""type":"huddle.signal.recorded""#, #""type":"huddle.account.registered""#),
        (#""type":"huddle.signal.recorded""#, #""type":"huddle.signal.forecast""#),
        (#""publisher":"signals-7f2c","#, ""),
        (#""data":{"#, #""data":null,"old":{"#),
        // Additions the rules allow.
        (#""seq":1204877,"#, #""seq":1204877,"traceparent":"00-abc","#),
    ]

    @Test("each edited signal decodes, or fails, as the Codable path has it", arguments: Self.edits)
    func edited(edit: (from: String, to: String)) throws {
        let original = try Fixture.signalText()
        let text = original.replacingOccurrences(of: edit.from, with: edit.to)
        try #require(text != original, "the edit applies to the fixture")
        expectSameOutcome(Array(text.utf8))
    }

    @Test("the valid edits still take the plain path")
    func validEditsArePlain() throws {
        let original = try Fixture.signalText()
        for (from, to) in [
            (#""accountDomain":"nordwind-logistik.de","#, ""),
            (#""stakeholderID":"stk-ingrid-solberg""#, #""stakeholderID":null"#),
            (#""accountID":"acc-nordwind-logistik""#, #""accountID":"acc-\u006eordwind""#),
            (#""source":"web""#, #""source":"call-centre""#),
        ] {
            #expect(try readsPlainly(original.replacingOccurrences(of: from, with: to)), "\(to)")
        }
    }

    @Test("thousands of corrupted signal messages get the same outcome from both paths")
    func mutations() throws {
        let original = try Fixture.bytes("signal-recorded")
        var random = SeededRandom(state: 4242)
        var decoded = 0
        for round in 0..<3000 {
            var bytes = original
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch round % 3 {
            case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: bytes.remove(at: at)
            default: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &random), at: at)
            }
            expectSameOutcome(bytes, "round \(round)")
            if (try? codec.decodeEvent(from: bytes)) != nil { decoded += 1 }
        }
        // Some mutations land in string contents and still decode: both paths were compared on those too.
        #expect(decoded > 100)
    }

    // MARK: - Encoding

    @Test("the signal fixture is written byte for byte by the plain path")
    func fixtureWritten() throws {
        let bytes = try Fixture.bytes("signal-recorded")
        let event = try codec.decodeEvent(from: bytes)
        #expect(JSONOutput().appendPlainSignalEvent(event))
        #expect(try codec.encodeEvent(event) == bytes)
    }

    @Test("thousands of random signal events are written as the Codable path writes them")
    func randomEventsWritten() throws {
        var random = SeededRandom(state: 2026)
        for round in 0..<3000 {
            let event = Self.randomSignalEvent(using: &random)
            #expect(try codec.encodeEvent(event) == codec.encode(event), "round \(round)")
        }
    }

    @Test("events the plain path does not write are refused as the Codable path refuses them")
    func refusalsAgree() throws {
        var random = SeededRandom(state: 5)
        var infinite = Self.randomSignalEvent(using: &random)
        guard case .signalRecorded(var signal) = infinite.payload else { return }
        signal.properties["ratio"] = .double(.infinity)
        infinite.payload = .signalRecorded(signal)
        var mismatched = Self.randomSignalEvent(using: &random)
        mismatched.header.type = .accountRegistered
        for event in [infinite, mismatched] {
            #expect(!JSONOutput().appendPlainSignalEvent(event))
            #expect(throws: EncodingError.self) { try codec.encodeEvent(event) }
            #expect(throws: EncodingError.self) { try codec.encode(event) }
        }
    }

    /// A signal event with every optional field present or not and text that needs escaping.
    static func randomSignalEvent(using random: inout SeededRandom) -> BusEvent {
        func text() -> String {
            let pieces = ["a", "Z", "0", "-", " ", "\"", "\\", "/", "\n", "\u{01}", "\u{7F}", "é", "–", "𝄞", "<", "~"]
            return (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
        }
        func maybe() -> String? { Bool.random(using: &random) ? text() : nil }
        func property() -> PropertyValue {
            switch Int.random(in: 0..<7, using: &random) {
            case 0: .string(text())
            case 1: .int(Int64.random(in: Int64.min...Int64.max, using: &random))
            case 2: .double(Double.random(in: -1e6...1e6, using: &random))
            case 3: .double(Double(Int.random(in: -1000...1000, using: &random)) * 1e13)
            case 4:
                .double(
                    [0.1, -0.0, 1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123456789012345.6]
                        .randomElement(
                            using: &random
                        )!
                )
            case 5: .bool(Bool.random(using: &random))
            default: .null
            }
        }
        var properties: [String: PropertyValue] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &random) { properties[text()] = property() }
        let sources: [SignalSource] = [
            .web, .marketing, .product, .helpdesk, .billing, .partner, .unknown("call-centre"),
        ]
        let signal = Signal(
            id: text(),
            source: sources.randomElement(using: &random)!,
            kind: text(),
            occurredAt: Timestamp(microsecondsSinceEpoch: Int64.random(in: 0...4_000_000_000_000_000, using: &random)),
            accountID: maybe(),
            accountDomain: maybe(),
            personEmail: maybe(),
            stakeholderID: maybe(),
            properties: properties
        )
        let header = EnvelopeHeader(
            id: EventID(
                unixMilliseconds: UInt64.random(in: 0...(1 << 48 - 1), using: &random),
                randomA: UInt16.random(in: 0...0xFFF, using: &random),
                randomB: UInt64.random(in: 0...(1 << 62 - 1), using: &random)
            ),
            source: "/huddle/" + text(),
            type: .signalRecorded,
            time: Timestamp(microsecondsSinceEpoch: Int64.random(in: 0...4_000_000_000_000_000, using: &random)),
            publisher: "signals-" + text(),
            stream: StreamName(
                family: .signal,
                bucket: AccountBucket(index: UInt8.random(in: 0...255, using: &random))
            ),
            seq: UInt64.random(in: 1...UInt64.max, using: &random)
        )
        return BusEvent(header: header, payload: .signalRecorded(signal))
    }
}
