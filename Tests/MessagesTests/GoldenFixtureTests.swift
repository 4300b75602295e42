import Foundation
import Messages
import Testing

@Suite("Golden fixtures")
struct GoldenFixtureTests {
    let codec = BusCodec()

    @Test("each fixture decodes to its event type with a matching payload", arguments: Fixture.eventTypes)
    func decodesToItsType(fixture: (name: String, type: EventType)) throws {
        let event = try codec.decodeEvent(from: try Fixture.bytes(fixture.name))
        #expect(event.header.type == fixture.type)
        #expect(event.payload.eventType == fixture.type)
        #expect(event.header.schemaVersion == 1)
        #expect(event.header.stream == event.payload.stream)
    }

    @Test("the bus codec re-encodes each fixture byte for byte", arguments: Fixture.names)
    func busRoundTrip(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let event = try codec.decodeEvent(from: bytes)
        #expect(try codec.encode(event) == bytes)
    }

    @Test("Foundation re-encodes each fixture byte for byte", arguments: Fixture.names)
    func foundationRoundTrip(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let event = try JSONDecoder().decode(BusEvent.self, from: Data(bytes))
        #expect(Array(try foundationEncoder().encode(event)) == bytes)
    }

    @Test(
        "the bus codec and Foundation decode each fixture to the same value and encode it alike",
        arguments: Fixture.names
    )
    func codecsAgree(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let viaBus = try codec.decodeEvent(from: bytes)
        let viaFoundation = try JSONDecoder().decode(BusEvent.self, from: Data(bytes))
        #expect(viaBus == viaFoundation)
        #expect(try codec.encode(viaFoundation) == Array(try foundationEncoder().encode(viaBus)))
    }

    @Test("a fixture decodes as a typed envelope too")
    func typedEnvelope() throws {
        let bytes = try Fixture.bytes("signal-recorded")
        let envelope = try codec.decode(Envelope<Signal>.self, from: bytes)
        #expect(envelope.data.kind == "page-viewed")
        #expect(envelope.data.properties["durationSeconds"] == .int(47))
        #expect(envelope.data.properties["referrer"] == PropertyValue.null)
        #expect(try codec.encode(envelope) == bytes)
    }

    @Test("each fixture's topic is its stream and its type segment", arguments: Fixture.names)
    func topic(name: String) throws {
        let event = try codec.decodeEvent(from: try Fixture.bytes(name))
        let topic = try event.topic()
        #expect(topic.stream == event.header.stream)
        #expect(try Topic(topic.description) == topic)
        #expect(topic.stream.bucket == AccountBucket(accountID: try #require(event.payload.accountID)))
    }

    @Test("each fixture's event id carries its time's millisecond", arguments: Fixture.names)
    func eventIDTime(name: String) throws {
        let header = try codec.decodeEvent(from: try Fixture.bytes(name)).header
        #expect(Int64(header.id.unixMilliseconds) == header.time.microsecondsSinceEpoch / 1000)
    }
}
