import Foundation

/// The bus codec's fallback encoder: builds the whole value as a tree, then writes it with
/// sorted keys, as Foundation's `JSONEncoder` does.
///
/// Used only for values whose Codable code needs nested containers or super encoders, which
/// `StreamingEncoder` cannot honour in place; slower, but handles every use of the container API.
final class TreeEncoder: Encoder {
    /// A value of the tree.
    enum Node {
        case null
        case bool(Bool)
        case string(String)
        /// Number text, already formatted.
        case number(String)
        case integer(magnitude: UInt64, negative: Bool)
        case double(Double)
        case float(Float)
        case object(ObjectBox)
        case array(ArrayBox)
        /// A value still being encoded by another encoder (a super encoder); read when written out.
        case pending(TreeEncoder)
    }

    final class ObjectBox {
        var fields: [String: Node] = [:]
    }

    final class ArrayBox {
        var elements: [Node] = []
    }

    let path: [CodingPathStep]
    let userInfo: [CodingUserInfoKey: Any]
    /// The value encoded so far; nil until a container is asked for or a single value written.
    var node: Node?

    init(path: [CodingPathStep], userInfo: [CodingUserInfoKey: Any]) {
        self.path = path
        self.userInfo = userInfo
    }

    var codingPath: [any CodingKey] { path.map(\.codingKey) }

    /// Encodes `value` and writes it to `output`.
    static func encode<T: Encodable>(_ value: T, into output: JSONOutput, userInfo: [CodingUserInfoKey: Any]) throws {
        let encoder = TreeEncoder(path: [], userInfo: userInfo)
        guard let node = try encoder.box(value, at: nil) else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: [],
                    debugDescription: "Top-level \(T.self) did not encode any values."
                )
            )
        }
        try write(node, to: output, depth: 0)
    }

    /// The tree of a nested value; nil if it encoded nothing.
    func box<T: Encodable>(_ value: T, at step: CodingPathStep?) throws -> Node? {
        if let special = FoundationValue.encoded(value) {
            switch special {
            case .string(let text): return .string(text)
            case .number(let text): return .number(text)
            }
        }
        let child = TreeEncoder(path: step.map { path + [$0] } ?? path, userInfo: userInfo)
        try value.encode(to: child)
        return child.node
    }

    func checkFinite<F: BinaryFloatingPoint>(_ value: F, at step: CodingPathStep?) throws {
        guard value.isFinite else {
            let keys = (path + (step.map { [$0] } ?? [])).map(\.codingKey)
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: keys,
                    debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."
                )
            )
        }
    }

    // MARK: - Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let object)? = node {
            return KeyedEncodingContainer(TreeKeyedContainer<Key>(encoder: self, object: object))
        }
        let object = ObjectBox()
        node = .object(object)
        return KeyedEncodingContainer(TreeKeyedContainer<Key>(encoder: self, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let array)? = node {
            return TreeUnkeyedContainer(encoder: self, array: array)
        }
        let array = ArrayBox()
        node = .array(array)
        return TreeUnkeyedContainer(encoder: self, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TreeSingleValueContainer(encoder: self)
    }

    // MARK: - Writing

    static func write(_ node: Node, to output: JSONOutput, depth: Int) throws {
        guard depth <= StreamingEncoder.maxDepth else {
            throw EncodingError.invalidValue(
                depth,
                EncodingError.Context(
                    codingPath: [],
                    debugDescription: "nested deeper than \(StreamingEncoder.maxDepth) levels"
                )
            )
        }
        switch node {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .string(let text): output.appendString(text)
        case .number(let text): output.appendText(text)
        case .integer(let magnitude, let negative): output.appendDecimal(magnitude: magnitude, negative: negative)
        case .double(let value): output.appendDouble(value)
        case .float(let value): output.appendFloat(value)
        case .pending(let encoder): try write(encoder.node ?? .object(ObjectBox()), to: output, depth: depth)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, to: output, depth: depth + 1)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let sorted = object.fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, field) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.appendString(field.key)
                output.append(UInt8(ascii: ":"))
                try write(field.value, to: output, depth: depth + 1)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}

extension TreeEncoder.Node {
    static func integer<Integer: FixedWidthInteger>(_ value: Integer) -> Self {
        Integer.bitWidth <= 64
            ? .integer(magnitude: UInt64(truncatingIfNeeded: value.magnitude), negative: value < 0)
            : .number(value.description)
    }
}

/// An object being built by `TreeEncoder`.
struct TreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let object: TreeEncoder.ObjectBox

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ node: TreeEncoder.Node, _ key: Key) { object.fields[key.stringValue] = node }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { set(.integer(value), key) }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.checkFinite(value, at: .key(key.stringValue))
        set(.double(value), key)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.checkFinite(value, at: .key(key.stringValue))
        set(.float(value), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encoder.box(value, at: .key(key.stringValue)) ?? .object(TreeEncoder.ObjectBox()), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(path: encoder.path + [.key(key.stringValue)], userInfo: encoder.userInfo)
        if case .object(let existing)? = object.fields[key.stringValue] { child.node = .object(existing) }
        let container = child.container(keyedBy: keyType)
        set(child.node!, key)
        return container
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(path: encoder.path + [.key(key.stringValue)], userInfo: encoder.userInfo)
        if case .array(let existing)? = object.fields[key.stringValue] { child.node = .array(existing) }
        let container = child.unkeyedContainer()
        set(child.node!, key)
        return container
    }

    mutating func superEncoder() -> any Encoder {
        let child = TreeEncoder(path: encoder.path + [.key("super")], userInfo: encoder.userInfo)
        object.fields["super"] = .pending(child)
        return child
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = TreeEncoder(path: encoder.path + [.key(key.stringValue)], userInfo: encoder.userInfo)
        set(.pending(child), key)
        return child
    }
}

/// An array being built by `TreeEncoder`.
struct TreeUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let array: TreeEncoder.ArrayBox

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.elements.count }

    private func append(_ node: TreeEncoder.Node) { array.elements.append(node) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Int) throws { append(.integer(value)) }
    mutating func encode(_ value: Int8) throws { append(.integer(value)) }
    mutating func encode(_ value: Int16) throws { append(.integer(value)) }
    mutating func encode(_ value: Int32) throws { append(.integer(value)) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: Int128) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt128) throws { append(.integer(value)) }

    mutating func encode(_ value: Double) throws {
        try encoder.checkFinite(value, at: .index(count))
        append(.double(value))
    }

    mutating func encode(_ value: Float) throws {
        try encoder.checkFinite(value, at: .index(count))
        append(.float(value))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encoder.box(value, at: .index(count)) ?? .object(TreeEncoder.ObjectBox()))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(path: encoder.path + [.index(count)], userInfo: encoder.userInfo)
        let container = child.container(keyedBy: keyType)
        append(child.node!)
        return container
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(path: encoder.path + [.index(count)], userInfo: encoder.userInfo)
        let container = child.unkeyedContainer()
        append(child.node!)
        return container
    }

    mutating func superEncoder() -> any Encoder {
        let child = TreeEncoder(path: encoder.path + [.index(count)], userInfo: encoder.userInfo)
        append(.pending(child))
        return child
    }
}

/// A single value being set by `TreeEncoder`.
struct TreeSingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ node: TreeEncoder.Node) { encoder.node = node }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Int) throws { set(.integer(value)) }
    mutating func encode(_ value: Int8) throws { set(.integer(value)) }
    mutating func encode(_ value: Int16) throws { set(.integer(value)) }
    mutating func encode(_ value: Int32) throws { set(.integer(value)) }
    mutating func encode(_ value: Int64) throws { set(.integer(value)) }
    mutating func encode(_ value: Int128) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt16) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt32) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt128) throws { set(.integer(value)) }

    mutating func encode(_ value: Double) throws {
        try encoder.checkFinite(value, at: nil)
        set(.double(value))
    }

    mutating func encode(_ value: Float) throws {
        try encoder.checkFinite(value, at: nil)
        set(.float(value))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        set(try encoder.box(value, at: nil) ?? .object(TreeEncoder.ObjectBox()))
    }
}
