import Foundation

/// The bus codec's decoder: a Codable `Decoder` over the tape that `JSONParser` builds.
///
/// The input is copied once and parsed once, with every rule checked up front (grammar, UTF-8,
/// limits, duplicate fields), so by the time a type's `init(from:)` runs the document is known
/// to be sound. Containers then read fields straight from the input bytes: a string becomes a
/// `String` only when it is decoded, numbers are converted from their text on demand, and no
/// Foundation objects are built.
///
/// One instance decodes one document: `current` moves to each nested value while it is being
/// decoded (containers keep their own node), and coding paths are worked out from the tape only
/// when someone asks for one, which is almost only on errors.
final class TapeDecoder: Decoder {
    private let input: UnsafeMutablePointer<UInt8>
    let nodes: UnsafeMutablePointer<TapeNode>
    /// A `null` node outside the document, standing for absent values.
    let nullNode: Int
    /// The value being decoded now.
    // Set around every nested value, only between calls into the value's own code: a decoder
    // belongs to one decoding call on one thread, so dynamic exclusivity checks would only cost time.
    @exclusivity(unchecked) var current = 0
    let userInfo: [CodingUserInfoKey: Any]

    /// Copies and parses `bytes`; throws if they are not a sound JSON document within `limits`.
    init(
        parsing bytes: UnsafeRawBufferPointer,
        limits: DecodingLimits,
        userInfo: [CodingUserInfoKey: Any] = [:]
    ) throws(MessageDecodingError) {
        guard bytes.count <= limits.maxInputBytes else {
            throw MessageDecodingError(
                code: .tooLarge,
                reason: "the message is larger than \(limits.maxInputBytes) bytes"
            )
        }
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        if let source = bytes.baseAddress {
            UnsafeMutableRawPointer(copy).copyMemory(from: source, byteCount: bytes.count)
        }
        var parser = JSONParser(bytes: copy, count: bytes.count, limits: limits)
        defer { parser.finish() }
        do {
            try parser.parse()
        } catch {
            parser.nodes.deallocate()
            copy.deallocate()
            throw error
        }
        input = copy
        nodes = parser.nodes
        nullNode = parser.nodeCount - 1
        self.userInfo = userInfo
    }

    deinit {
        nodes.deallocate()
        input.deallocate()
    }

    var codingPath: [any CodingKey] { codingPath(of: current) }

    // MARK: - Paths and errors

    /// The path from the document's root to a node.
    func codingPath(of target: Int) -> [any CodingKey] {
        var steps: [CodingPathStep] = []
        var node = 0
        descent: while node != target {
            let container = nodes[node]
            guard container.kind == .object || container.kind == .array, target > node, target < Int(container.next)
            else { break }
            var child = node + 1
            for index in 0..<Int(container.length) {
                let value = container.kind == .object ? child + 1 : child
                let after = Int(nodes[value].next)
                if target >= value, target < after {
                    steps.append(container.kind == .object ? .key(text(of: child)) : .index(index))
                    node = value
                    continue descent
                }
                child = after
            }
            break
        }
        return steps.map(\.codingKey)
    }

    /// The text of a string node.
    func text(of node: Int) -> String {
        let string = nodes[node]
        return JSONText.string(input + Int(string.start), count: Int(string.length), escaped: string.flag)
    }

    /// A type mismatch, or a missing value if the node is null.
    func mismatch(_ type: Any.Type, expected: String, at node: Int) -> DecodingError {
        let found = nodes[node]
        let foundPhrase =
            found.kind == .number && !found.flag && expected == "an integer"
            ? "a number with a fraction or exponent" : found.kind.phrase
        let context = DecodingError.Context(
            codingPath: codingPath(of: node),
            debugDescription: "expected \(expected), found \(foundPhrase)"
        )
        return found.kind == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    // MARK: - Fields

    /// The value node of the object's field named `name`, or nil.
    ///
    /// Fields are searched from where the previous lookup ended, wrapping around: decoding in
    /// document order (as `Dictionary` does through `allKeys`) finds each field at once, so large
    /// objects decode in linear time.
    func field(_ name: String, in object: Int) -> Int? {
        var name = name
        return name.withUTF8 { field(utf8: $0, in: object) }
    }

    /// The value node of the object's field named `name`, or nil; for names known when compiling.
    func field(_ name: StaticString, in object: Int) -> Int? {
        name.withUTF8Buffer { field(utf8: $0, in: object) }
    }

    private func field(utf8 name: UnsafeBufferPointer<UInt8>, in object: Int) -> Int? {
        let container = nodes[object]
        let count = Int(container.length)
        guard count > 0 else { return nil }
        let first = object + 1
        let end = Int(container.next)
        var key = container.start == 0 ? first : Int(container.start)
        for _ in 0..<count {
            let value = key + 1
            let after = Int(nodes[value].next)
            if keyMatches(key, name) {
                nodes[object].start = UInt32(after == end ? first : after)
                return value
            }
            key = after == end ? first : after
        }
        return nil
    }

    @inline(__always)
    private func keyMatches(_ key: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let node = nodes[key]
        if node.flag {
            return JSONText.unescape(input + Int(node.start), count: Int(node.length)).elementsEqual(name)
        }
        guard Int(node.length) == name.count else { return false }
        let text = input + Int(node.start)
        for index in 0..<name.count where text[index] != name[index] { return false }
        return true
    }

    /// The names of an object's fields, in document order.
    func fieldNames(of object: Int) -> [String] {
        var names: [String] = []
        names.reserveCapacity(Int(nodes[object].length))
        var key = object + 1
        for _ in 0..<Int(nodes[object].length) {
            names.append(text(of: key))
            key = Int(nodes[key + 1].next)
        }
        return names
    }

    // MARK: - Containers

    func keyedContainer<Key: CodingKey>(_ type: Key.Type, at node: Int) throws -> KeyedDecodingContainer<Key> {
        guard nodes[node].kind == .object else { throw mismatch([String: Any].self, expected: "an object", at: node) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self, object: node))
    }

    func unkeyedContainer(at node: Int) throws -> any UnkeyedDecodingContainer {
        guard nodes[node].kind == .array else { throw mismatch([Any].self, expected: "an array", at: node) }
        return TapeUnkeyedContainer(decoder: self, array: node)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try keyedContainer(type, at: current)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try unkeyedContainer(at: current)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleValueContainer(decoder: self, node: current)
    }

    // MARK: - Values

    func isNull(_ node: Int) -> Bool { nodes[node].kind == .null }

    func decodeString(at node: Int) throws -> String {
        guard nodes[node].kind == .string else { throw mismatch(String.self, expected: "a string", at: node) }
        return text(of: node)
    }

    func decodeBool(at node: Int) throws -> Bool {
        switch nodes[node].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, expected: "a boolean", at: node)
        }
    }

    func decodeInteger<Integer: FixedWidthInteger>(_ type: Integer.Type, at node: Int) throws -> Integer {
        let number = nodes[node]
        guard number.kind == .number, number.flag else { throw mismatch(type, expected: "an integer", at: node) }
        guard let value = integerValue(type, number) else {
            throw DecodingError.huddle(
                .numberOutOfRange,
                "the number does not fit in \(type) (\(Integer.min) to \(Integer.max))",
                at: codingPath(of: node)
            )
        }
        return value
    }

    /// The value of an integer number node, or nil if it does not fit.
    func integerValue<Integer: FixedWidthInteger>(_ type: Integer.Type, _ number: TapeNode) -> Integer? {
        var cursor = input + Int(number.start)
        let end = cursor + Int(number.length)
        if Integer.bitWidth > 64 {
            return Integer(String(decoding: UnsafeBufferPointer(start: cursor, count: end - cursor), as: UTF8.self))
        }
        let negative = cursor.pointee == UInt8(ascii: "-")
        if negative { cursor += 1 }
        var magnitude: UInt64 = 0
        while cursor < end {
            let (tens, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carried) = tens.addingReportingOverflow(UInt64(cursor.pointee &- UInt8(ascii: "0")))
            guard !overflowed, !carried else { return nil }
            magnitude = sum
            cursor += 1
        }
        if negative, magnitude != 0 {
            guard Integer.isSigned, magnitude - 1 <= UInt64(Integer.max) else { return nil }
            return Integer(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= UInt64(Integer.max) else { return nil }
        return Integer(truncatingIfNeeded: magnitude)
    }

    func decodeDouble(at node: Int) throws -> Double {
        let number = nodes[node]
        guard number.kind == .number else { throw mismatch(Double.self, expected: "a number", at: node) }
        let value = JSONNumber.double(input + Int(number.start), count: Int(number.length))
        guard value.isFinite else {
            throw DecodingError.huddle(.numberOutOfRange, "the number does not fit in Double", at: codingPath(of: node))
        }
        return value
    }

    func decodeFloat(at node: Int) throws -> Float {
        let number = nodes[node]
        guard number.kind == .number else { throw mismatch(Float.self, expected: "a number", at: node) }
        let text = String(
            decoding: UnsafeBufferPointer(start: input + Int(number.start), count: Int(number.length)),
            as: UTF8.self
        )
        guard let value = Float(text), value.isFinite else {
            throw DecodingError.huddle(.numberOutOfRange, "the number does not fit in Float", at: codingPath(of: node))
        }
        return value
    }

    /// Decodes any value at a node, taking the codec's fast paths for its own types.
    func decodeValue<T: Decodable>(_ type: T.Type, at node: Int) throws -> T {
        if T.self == String.self { return unsafeBitCast(try decodeString(at: node), to: T.self) }
        if T.self == Timestamp.self {
            return unsafeBitCast(try parseText(Timestamp.self, at: node, Timestamp.parse), to: T.self)
        }
        if T.self == EventID.self {
            return unsafeBitCast(try parseText(EventID.self, at: node, EventID.parse), to: T.self)
        }
        if T.self == PropertyValue.self { return unsafeBitCast(try decodeProperty(at: node), to: T.self) }
        if T.self == StreamName.self {
            return unsafeBitCast(try parseText(StreamName.self, at: node, StreamName.parse), to: T.self)
        }
        if T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            return try decodeFoundationValue(type, at: node)
        }
        if nodes[node].kind == .object, let dictionary = T.self as? any StringKeyedDecodable.Type {
            return try decodeDictionary(dictionary, at: node)
        }
        let parent = current
        current = node
        defer { current = parent }
        return try T(from: self)
    }

    private func decodeDictionary<Dictionary: StringKeyedDecodable, T>(
        _ type: Dictionary.Type,
        at node: Int
    ) throws -> T {
        // `Dictionary` is `T`, which the caller's cast established.
        unsafeBitCast(try Dictionary(tape: self, object: node), to: T.self)
    }

    /// Parses a string node's bytes with a type's own byte parser.
    private func parseText<Value>(
        _ type: Value.Type,
        at node: Int,
        _ parse: (UnsafeBufferPointer<UInt8>) -> Result<Value, MessageDecodingError>
    ) throws -> Value {
        guard let result = parsedText(at: node, parse) else {
            throw mismatch(type, expected: "a string", at: node)
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw DecodingError.huddle(error.code, error.reason, at: codingPath(of: node))
        }
    }

    /// What a type's own byte parser makes of a string node's bytes; nil if the node is no string.
    func parsedText<Value>(
        at node: Int,
        _ parse: (UnsafeBufferPointer<UInt8>) -> Result<Value, MessageDecodingError>
    ) -> Result<Value, MessageDecodingError>? {
        let string = nodes[node]
        guard string.kind == .string else { return nil }
        return string.flag
            ? JSONText.unescape(input + Int(string.start), count: Int(string.length)).withUnsafeBufferPointer(parse)
            : parse(UnsafeBufferPointer(start: input + Int(string.start), count: Int(string.length)))
    }

    /// `Data` from Base64 text, `URL` from its string, `Decimal` from a number, as Foundation's decoder reads them.
    private func decodeFoundationValue<T: Decodable>(_ type: T.Type, at node: Int) throws -> T {
        func refuse(_ reason: String) -> DecodingError { .huddle(.invalidValue, reason, at: codingPath(of: node)) }
        if T.self == Decimal.self {
            let number = nodes[node]
            guard number.kind == .number else { throw mismatch(type, expected: "a number", at: node) }
            let text = String(
                decoding: UnsafeBufferPointer(start: input + Int(number.start), count: Int(number.length)),
                as: UTF8.self
            )
            guard let decimal = Decimal(string: text) else { throw refuse("the number does not fit in Decimal") }
            return decimal as! T
        }
        let text = try decodeString(at: node)
        if T.self == Data.self {
            guard let data = Data(base64Encoded: text) else { throw refuse("not valid Base64") }
            return data as! T
        }
        guard let url = URL(string: text) else { throw refuse("not a valid URL") }
        return url as! T
    }

    /// A signal property from whatever JSON type is at `index`.
    func decodeProperty(at index: Int) throws -> PropertyValue {
        let node = nodes[index]
        switch node.kind {
        case .string: return .string(text(of: index))
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .number:
            if node.flag, let value = integerValue(Int64.self, node) { return .int(value) }
            // As Foundation's decoder reads it: an integral value that fits is an integer, even
            // when written with a fraction or an exponent (`2.0`, `1e3`).
            let value = try decodeDouble(at: index)
            if let integer = Int64(exactly: value) { return .int(integer) }
            return .double(value)
        case .object, .array:
            throw mismatch(PropertyValue.self, expected: "a string, number, boolean or null", at: index)
        }
    }
}
