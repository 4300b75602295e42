import Messages
import Testing

@Suite("Event ids")
struct EventIDTests {
    @Test("an id's text is lowercase 8-4-4-4-12 hex and parses back")
    func textRoundTrip() throws {
        let id = EventID(unixMilliseconds: 0x0193_5F2A_1B3C, randomA: 0xABC, randomB: 0x1234_5678_9ABC_DEF0)
        #expect(id.uuidString == "01935f2a-1b3c-7abc-9234-56789abcdef0")
        #expect(try EventID(uuidString: id.uuidString) == id)
        #expect(try EventID(uuidString: id.uuidString.uppercased()) == id)
        #expect(id.unixMilliseconds == 0x0193_5F2A_1B3C)
    }

    @Test(
        "malformed ids are refused",
        arguments: [
            "", "01935f2a-1b3c-7abc-9234-56789abcdef", "01935f2a1b3c-7abc-9234-56789abcdef0a",
            "01935f2a-1b3c-4abc-9234-56789abcdef0", "01935f2a-1b3c-7abc-c234-56789abcdef0",
            "01935f2a-1b3c-7abc-9234-56789abcdefg", "{1935f2a-1b3c-7abc-9234-56789abcdef0",
        ]
    )
    func malformed(text: String) {
        let error = #expect(throws: MessageDecodingError.self) { try EventID(uuidString: text) }
        #expect(error?.code == .invalidValue)
    }

    @Test("ids from one generator strictly increase, as values and as text, whatever the clock does")
    func generatorOrder() {
        var generator = EventIDGenerator()
        var random = SeededRandom(state: 3)
        var previous: EventID?
        var time = Timestamp(microsecondsSinceEpoch: 1_795_000_000_000_000)
        for step in 0..<5000 {
            // Mostly forward, often the same millisecond, sometimes backwards.
            let jump = [0, 0, 0, 1, 250, 1000, -5000][step % 7]
            time = Timestamp(microsecondsSinceEpoch: time.microsecondsSinceEpoch + Int64(jump))
            let id = generator.next(at: time, using: &random)
            if let previous {
                #expect(previous < id)
                #expect(previous.uuidString < id.uuidString)
            }
            previous = id
        }
    }

    @Test("an id carries the millisecond it was made in")
    func millisecond() {
        var generator = EventIDGenerator()
        var random = SeededRandom(state: 5)
        let time = Timestamp(microsecondsSinceEpoch: 1_795_833_092_123_456)
        #expect(generator.next(at: time, using: &random).unixMilliseconds == 1_795_833_092_123)
    }

    @Test("when the random bits run out within a millisecond, the count carries into the next millisecond")
    func carry() {
        struct AllOnes: RandomNumberGenerator {
            mutating func next() -> UInt64 { .max }
        }
        var generator = EventIDGenerator()
        var random = AllOnes()
        let time = Timestamp(microsecondsSinceEpoch: 1_000_000)
        let first = generator.next(at: time, using: &random)
        let second = generator.next(at: time, using: &random)
        #expect(first.unixMilliseconds == 1000)
        #expect(second.unixMilliseconds == 1001)
        #expect(first < second)
        #expect(second.uuidString.dropFirst(14).hasPrefix("7000-8000-000000000000"))
    }
}
