import Foundation

/// An object being read by `TapeDecoder`.
struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    let object: Int

    var codingPath: [any CodingKey] { decoder.codingPath(of: object) }

    var allKeys: [Key] { decoder.fieldNames(of: object).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { decoder.field(key.stringValue, in: object) != nil }

    @inline(__always)
    private func required(_ key: Key) throws -> Int {
        if let node = decoder.field(key.stringValue, in: object) { return node }
        throw DecodingError.keyNotFound(
            key,
            DecodingError.Context(codingPath: codingPath, debugDescription: "required field is missing")
        )
    }

    /// The field's node, or nil if it is absent or null.
    @inline(__always)
    private func present(_ key: Key) -> Int? {
        guard let node = decoder.field(key.stringValue, in: object), !decoder.isNull(node) else { return nil }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(try required(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.decodeBool(at: required(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.decodeString(at: required(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.decodeDouble(at: required(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.decodeFloat(at: required(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.decodeInteger(type, at: required(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try decoder.decodeInteger(type, at: required(key))
    }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 {
        try decoder.decodeInteger(type, at: required(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(type, at: required(key))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map(decoder.decodeBool)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map(decoder.decodeString)
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map(decoder.decodeDouble)
    }

    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try present(key).map(decoder.decodeFloat)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integer(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integer(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integer(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integer(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integer(type, key) }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integer(type, key) }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { try integer(type, key) }

    private func integer<Integer: FixedWidthInteger>(_ type: Integer.Type, _ key: Key) throws -> Integer? {
        guard let node = present(key) else { return nil }
        return try decoder.decodeInteger(type, at: node)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = present(key) else { return nil }
        return try decoder.decodeValue(type, at: node)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.keyedContainer(type, at: required(key))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.unkeyedContainer(at: required(key))
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(
            decoder: decoder,
            node: decoder.field("super", in: object) ?? decoder.nullNode,
            codingPath: codingPath + [PathKey(stringValue: "super")]
        )
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(
            decoder: decoder,
            node: decoder.field(key.stringValue, in: object) ?? decoder.nullNode,
            codingPath: codingPath + [key]
        )
    }
}

/// An array being read by `TapeDecoder`.
struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    // Laid out to fit an existential's inline buffer (three words), so handing it out allocates nothing.
    let decoder: TapeDecoder
    private(set) var currentIndex = 0
    private let array: UInt32
    private var cursor: UInt32

    init(decoder: TapeDecoder, array: Int) {
        self.decoder = decoder
        self.array = UInt32(array)
        self.cursor = UInt32(array + 1)
    }

    var codingPath: [any CodingKey] { decoder.codingPath(of: Int(array)) }
    var count: Int? { Int(decoder.nodes[Int(array)].length) }
    var isAtEnd: Bool { currentIndex >= Int(decoder.nodes[Int(array)].length) }

    /// Decodes the next element with `decode`, moving past it only if that succeeds.
    private mutating func next<Value>(_ type: Any.Type, _ decode: (TapeDecoder, Int) throws -> Value) throws -> Value {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: codingPath + [PathKey(intValue: currentIndex)],
                    debugDescription: "the array has no more elements"
                )
            )
        }
        let value = try decode(decoder, Int(cursor))
        cursor = decoder.nodes[Int(cursor)].next
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.isNull(Int(cursor)) else { return false }
        cursor = decoder.nodes[Int(cursor)].next
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.decodeBool(at: $1) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.decodeString(at: $1) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $0.decodeDouble(at: $1) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $0.decodeFloat(at: $1) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try $0.decodeInteger(type, at: $1) } }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 {
        try next(type) { try $0.decodeInteger(type, at: $1) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try $0.decodeValue(type, at: $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next(type) { try $0.keyedContainer(type, at: $1) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self) { try $0.unkeyedContainer(at: $1) }
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = codingPath + [PathKey(intValue: currentIndex)]
        return try next((any Decoder).self) { NodeDecoder(decoder: $0, node: $1, codingPath: path) }
    }
}

/// A single value being read by `TapeDecoder`.
struct TapeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: TapeDecoder
    let node: Int

    var codingPath: [any CodingKey] { decoder.codingPath(of: node) }

    func decodeNil() -> Bool { decoder.isNull(node) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool(at: node) }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString(at: node) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble(at: node) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.decodeFloat(at: node) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: Int128.Type) throws -> Int128 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type, at: node) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try decoder.decodeInteger(type, at: node) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type, at: node) }
}

/// A decoder fixed on one node, handed out as a super decoder.
final class NodeDecoder: Decoder {
    let decoder: TapeDecoder
    let node: Int
    let codingPath: [any CodingKey]

    init(decoder: TapeDecoder, node: Int, codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.node = node
        self.codingPath = codingPath
    }

    var userInfo: [CodingUserInfoKey: Any] { decoder.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try decoder.keyedContainer(type, at: node)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try decoder.unkeyedContainer(at: node)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleValueContainer(decoder: decoder, node: node)
    }
}
