import Foundation
import Messages
import Testing

@Suite("Payloads and open enums")
struct PayloadTests {
    let codec = BusCodec()

    /// Decodes a value from JSON text with both codecs and checks they agree.
    func decodeBoth<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> T {
        let bus = try codec.decode(type, from: Array(text.utf8))
        #expect(try JSONDecoder().decode(type, from: Data(text.utf8)) == bus)
        return bus
    }

    @Test("unknown enum values decode to .unknown and write the same string back")
    func unknownEnumValues() throws {
        #expect(try decodeBoth(SignalSource.self, #""crm""#) == .unknown("crm"))
        #expect(try decodeBoth(BuyingRole.self, #""procurement""#) == .unknown("procurement"))
        #expect(try decodeBoth(SalesProjectStatus.self, #""stalled""#) == .unknown("stalled"))
        #expect(try decodeBoth(MilestoneKind.self, #""security-review""#) == .unknown("security-review"))
        #expect(try decodeBoth(MilestoneStatus.self, #""deferred""#) == .unknown("deferred"))
        #expect(
            String(decoding: try codec.encode([BuyingRole.unknown("procurement")]), as: UTF8.self)
                == #"["procurement"]"#
        )
    }

    @Test(
        "known enum values use lowercase kebab-case names",
        arguments: [
            (BuyingRole.decisionMaker, "decision-maker"), (.economicBuyer, "economic-buyer"), (.champion, "champion"),
            (.influencer, "influencer"), (.user, "user"), (.blocker, "blocker"), (.gatekeeper, "gatekeeper"),
        ]
    )
    func buyingRoleNames(role: BuyingRole, name: String) throws {
        #expect(role.rawValue == name)
        #expect(BuyingRole(rawValue: name) == role)
        #expect(try decodeBoth(BuyingRole.self, "\"\(name)\"") == role)
    }

    @Test("every open enum reads back what it writes")
    func enumRoundTrips() throws {
        let sources: [SignalSource] = [.web, .marketing, .product, .helpdesk, .billing, .partner, .unknown("crm")]
        #expect(try codec.decode([SignalSource].self, from: codec.encode(sources)) == sources)
        let kinds: [MilestoneKind] = [
            .needsConfirmed, .solutionAgreed, .proposalAccepted, .contractSigned, .deliveryStarted, .goLive,
            .valueConfirmed,
        ]
        #expect(try codec.decode([MilestoneKind].self, from: codec.encode(kinds)) == kinds)
        let statuses: [SalesProjectStatus] = [.open, .onHold, .won, .lost]
        #expect(try codec.decode([SalesProjectStatus].self, from: codec.encode(statuses)) == statuses)
        #expect(try codec.decode([EventType].self, from: codec.encode(EventType.known)) == EventType.known)
    }

    @Test("an unknown event type decodes to .unrecognized with the header intact")
    func unrecognizedType() throws {
        let text = try Fixture.signalText().replacingOccurrences(
            of: #""type":"huddle.signal.recorded""#,
            with: #""type":"huddle.forecast.revised""#
        )
        let event = try codec.decodeEvent(from: Array(text.utf8))
        #expect(event.payload == .unrecognized(type: "huddle.forecast.revised"))
        #expect(event.header.type == .unknown("huddle.forecast.revised"))
        #expect(event.header.seq == 1_204_877)
        #expect(event.header.publisher == "signals-7f2c")
        #expect(event.header.stream == StreamName(family: .signal, bucket: AccountBucket(index: 0x7B)))
        #expect(throws: EncodingError.self) { try codec.encode(event) }
    }

    @Test("an unknown event type with another schemaversion is still only unrecognized")
    func unrecognizedTypeAnyVersion() throws {
        let text = try Fixture.signalText()
            .replacingOccurrences(of: #""type":"huddle.signal.recorded""#, with: #""type":"huddle.forecast.revised""#)
            .replacingOccurrences(of: #""schemaversion":1"#, with: #""schemaversion":9"#)
        #expect(try codec.decodeEvent(from: Array(text.utf8)).payload == .unrecognized(type: "huddle.forecast.revised"))
    }

    @Test("a header whose type does not match the payload is refused on encoding")
    func mismatchedPayload() throws {
        var event = try codec.decodeEvent(from: try Fixture.bytes("account-registered"))
        event.header.type = .accountUpdated
        #expect(throws: EncodingError.self) { try codec.encode(event) }
    }

    @Test("property values decode from each JSON type")
    func propertyValues() throws {
        let text =
            #"{"a":"x","b":42,"c":-7,"d":0.5,"e":true,"f":false,"g":null,"h":1e3,"i":99999999999999999999,"j":2.0}"#
        let properties = try decodeBoth([String: PropertyValue].self, text)
        #expect(properties["a"] == .string("x"))
        #expect(properties["b"] == .int(42))
        #expect(properties["c"] == .int(-7))
        #expect(properties["d"] == .double(0.5))
        #expect(properties["e"] == .bool(true))
        #expect(properties["f"] == .bool(false))
        #expect(properties["g"] == PropertyValue.null)
        #expect(properties["h"] == .int(1000))
        #expect(properties["i"] == .double(1e20))
        #expect(properties["j"] == .int(2))
        #expect(
            try decodeBoth([PropertyValue].self, "[1.5, -0.0, 9.5e18]") == [.double(1.5), .int(0), .double(9.5e18)]
        )
    }

    @Test("the seq attribute is twenty zero-padded digits and reads back")
    func seqAttribute() throws {
        var header = try codec.decodeEvent(from: try Fixture.bytes("signal-recorded")).header
        #expect(header.seqAttribute == "00000000000001204877")
        header.seq = .max
        #expect(header.seqAttribute == "18446744073709551615")
        #expect(try EnvelopeHeader.seq(fromAttribute: header.seqAttribute) == .max)
        #expect(try EnvelopeHeader.seq(fromAttribute: "00000000000000000042") == 42)
        for bad in ["", "0", "00000000000000000000", "-1", "4x", "184467440737095516150", "18446744073709551616"] {
            #expect(throws: MessageDecodingError.self) { try EnvelopeHeader.seq(fromAttribute: bad) }
        }
    }

    @Test("a payload's stream comes from its family and its account's bucket")
    func payloadStream() {
        let signal = Signal(
            id: "s1",
            source: .product,
            kind: "feature-used",
            occurredAt: Timestamp(microsecondsSinceEpoch: 0),
            accountDomain: "example.com"
        )
        #expect(EventPayload.signalRecorded(signal).stream == StreamName(family: .signal, bucket: .noAccount))
        #expect(EventPayload.signalRecorded(signal).topicType == "feature-used")
        var known = signal
        known.accountID = "acc_7f3a9c"
        #expect(EventPayload.signalRecorded(known).stream?.description == "signal.d2")
        #expect(EventPayload.unrecognized(type: "x").stream == nil)
    }
}
