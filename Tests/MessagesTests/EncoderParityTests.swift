import Foundation
import Messages
import Testing

/// The bus encoder's promise: byte for byte what Foundation's `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]`.
@Suite("Bus encoder matches Foundation")
struct EncoderParityTests {
    let codec = BusCodec()

    func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let foundation = String(decoding: try foundationEncoder().encode(value), as: UTF8.self)
        let bus = String(decoding: try codec.encode(value), as: UTF8.self)
        #expect(bus == foundation, sourceLocation: sourceLocation)
    }

    @Test("every ASCII character is escaped as Foundation escapes it")
    func asciiEscaping() throws {
        for scalar in 0..<0x80 {
            try expectSameBytes("a\(Character(Unicode.Scalar(UInt8(scalar))))b")
        }
        try expectSameBytes(String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }))
    }

    @Test(
        "strings with slashes, quotes, non-ASCII text and separators match",
        arguments: [
            "", "https://example.com/a/b?c=d", "\"quoted\" \\ back", "Zürich – Ørsted – 東京 – 😀",
            "\u{2028}\u{2029}\u{7F}\u{80}\u{FEFF}", "e\u{301}", String(repeating: "long text ", count: 200),
        ]
    )
    func strings(text: String) throws {
        try expectSameBytes(text)
        try expectSameBytes([text: text])
    }

    @Test("integers of every width match at their extremes")
    func integers() throws {
        try expectSameBytes([Int.min, -1, 0, 1, Int.max])
        try expectSameBytes([Int8.min, Int8.max])
        try expectSameBytes([Int16.min, Int16.max])
        try expectSameBytes([Int32.min, Int32.max])
        try expectSameBytes([Int64.min, Int64.max])
        try expectSameBytes([UInt.max, 0])
        try expectSameBytes([UInt8.max])
        try expectSameBytes([UInt16.max])
        try expectSameBytes([UInt32.max])
        try expectSameBytes([UInt64.max, 0, 10, 999, 1000])
        try expectSameBytes([Int128.min, Int128.max])
        try expectSameBytes([UInt128.max])
    }

    @Test("doubles match, including edge values")
    func doubleEdges() throws {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.5, 1.5, 100, 1e15, 1e16, 1e17, 123_456_789_012_345_680, 1e-5, 0.0001, 1e-7,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            9_007_199_254_740_992, 0.1 + 0.2, 3.141592653589793, 2.5e-308, 999_999_999_999_999.9,
        ]
        try expectSameBytes(values)
    }

    @Test("ten thousand random doubles match")
    func randomDoubles() throws {
        var random = SeededRandom(state: 7)
        var values: [Double] = []
        for _ in 0..<10_000 {
            let bits = random.next()
            let value = Double(bitPattern: bits)
            if value.isFinite { values.append(value) }
            values.append(Double(Int64(truncatingIfNeeded: bits) >> 20) / 1000)
        }
        try expectSameBytes(values)
    }

    @Test("floats match")
    func floats() throws {
        var random = SeededRandom(state: 11)
        var values: [Float] = [0, -0.0, 1, 0.1, 1e10, 3.4e38, .leastNonzeroMagnitude, 16_777_216]
        for _ in 0..<2000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            if value.isFinite { values.append(value) }
        }
        try expectSameBytes(values)
    }

    @Test("dictionary keys sort by UTF-8 bytes, as Foundation sorts them")
    func keyOrder() throws {
        let keys = [
            "b", "a", "B", "_", "item10", "item9", "Z", "é", "z", "10", "9", "ab", "aB", "a-b", "a_b", "", "a\"b",
            "a\nb", "😀",
        ]
        try expectSameBytes(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, $0.offset) }))
    }

    @Test("optionals, nested collections and empty values match")
    func structure() throws {
        try expectSameBytes([Int?.none, 1])
        try expectSameBytes([[String: [Int]]]([["x": [], "y": [1, 2]], [:]]))
        try expectSameBytes(Sample(name: "n", count: nil, tags: ["t"], nested: [Sample.Inner(flag: true)]))
        try expectSameBytes([EmptyValue()])
        try expectSameBytes(["key": EmptyValue()])
    }

    @Test("Data, URL, Decimal and Date are written as Foundation writes them")
    func foundationTypes() throws {
        try expectSameBytes(Data([0, 1, 2, 250, 255]))
        try expectSameBytes(["url": URL(string: "https://example.com/path?q=1")!])
        try expectSameBytes([Decimal(string: "12.50")!, Decimal(string: "-0.001")!])
        try expectSameBytes([Date(timeIntervalSinceReferenceDate: 12.5)])
    }

    @Test("values that use nested containers and super encoders match")
    func nestedContainers() throws {
        try expectSameBytes(NestedContainerUser(first: "a", second: 2))
        try expectSameBytes([NestedContainerUser(first: "x", second: 9)])
        try expectSameBytes(SuperEncoderUser(base: 3, extra: "e"))
    }

    @Test("a key encoded twice keeps its last value, as in Foundation")
    func repeatedKey() throws {
        try expectSameBytes(RepeatedKey())
    }

    @Test("NaN and infinity are refused")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try codec.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try codec.encode(["x": Double.infinity]) }
        #expect(throws: EncodingError.self) { try codec.encode([PropertyValue.double(-.infinity)]) }
    }

    @Test("a top-level value that encodes nothing is refused, as in Foundation")
    func emptyTopLevel() {
        #expect(throws: EncodingError.self) { try codec.encode(EmptyValue()) }
        #expect(throws: EncodingError.self) { try foundationEncoder().encode(EmptyValue()) }
    }

    @Test("appending to a buffer keeps what was there")
    func appending() throws {
        var bytes = Array("prefix:".utf8)
        try codec.encode(["a": 1], appendingTo: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"prefix:{"a":1}"#)
    }
}

private struct Sample: Codable {
    struct Inner: Codable { var flag: Bool }
    var name: String
    var count: Int?
    var tags: [String]
    var nested: [Inner]
}

private struct EmptyValue: Codable {
    func encode(to encoder: any Encoder) throws {}
}

/// Encodes through a nested keyed container and a nested unkeyed one, interleaved with the parent.
private struct NestedContainerUser: Encodable {
    var first: String
    var second: Int

    enum Keys: String, CodingKey { case zeta, alpha, list, middle }
    enum Inner: String, CodingKey { case value, label }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var nested = container.nestedContainer(keyedBy: Inner.self, forKey: .middle)
        try container.encode(first, forKey: .zeta)
        try nested.encode(second, forKey: .value)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        try list.encode(1)
        try container.encode(true, forKey: .alpha)
        try nested.encode("late", forKey: .label)
        try list.encode("two")
    }
}

private class BaseValue: Encodable {
    var base: Int
    init(base: Int) { self.base = base }
    enum Keys: String, CodingKey { case base }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(base, forKey: .base)
    }
}

private final class SuperEncoderUser: BaseValue {
    var extra: String
    init(base: Int, extra: String) {
        self.extra = extra
        super.init(base: base)
    }
    enum SubKeys: String, CodingKey { case extra }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SubKeys.self)
        try container.encode(extra, forKey: .extra)
        try super.encode(to: container.superEncoder())
    }
}

private struct RepeatedKey: Encodable {
    enum Keys: String, CodingKey { case b, a }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(1, forKey: .b)
        try container.encode(2, forKey: .a)
        try container.encode(3, forKey: .b)
    }
}
