import Foundation

/// An object being written by `StreamingEncoder`.
struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamingEncoder
    let serial: UInt32

    var codingPath: [any CodingKey] { encoder.codingPath }

    @inline(__always)
    private func field(_ key: Key, _ write: (JSONOutput) -> Void) throws {
        _ = try encoder.beginField(key.stringValue, serial: serial)
        write(encoder.output)
        encoder.endField()
    }

    mutating func encodeNil(forKey key: Key) throws { try field(key) { $0.append("null") } }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try field(key) { $0.append(value ? "true" : "false") }
    }
    mutating func encode(_ value: String, forKey key: Key) throws { try field(key) { $0.appendString(value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: Int128, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try field(key) { $0.appendInteger(value) } }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.checkFinite(value, at: .key(key.stringValue))
        try field(key) { $0.appendDouble(value) }
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.checkFinite(value, at: .key(key.stringValue))
        try field(key) { $0.appendFloat(value) }
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let rollback = try encoder.beginField(key.stringValue, serial: serial)
        do {
            try encoder.encodeValue(value)
        } catch {
            encoder.abandonField(rollback: rollback)
            throw error
        }
        encoder.endField()
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        encoder.discardingEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.discardingEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.discardingEncoder() }

    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.discardingEncoder() }
}

/// An array being written by `StreamingEncoder`.
struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamingEncoder
    let serial: UInt32

    var codingPath: [any CodingKey] { encoder.codingPath }

    var count: Int { encoder.frame.serial == serial ? encoder.frame.count : 0 }

    @inline(__always)
    private func element(_ write: (JSONOutput) -> Void) throws {
        _ = try encoder.beginElement(serial: serial)
        write(encoder.output)
    }

    mutating func encodeNil() throws { try element { $0.append("null") } }
    mutating func encode(_ value: Bool) throws { try element { $0.append(value ? "true" : "false") } }
    mutating func encode(_ value: String) throws { try element { $0.appendString(value) } }
    mutating func encode(_ value: Int) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: Int8) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: Int16) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: Int32) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: Int64) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: Int128) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt8) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt16) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt32) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt64) throws { try element { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt128) throws { try element { $0.appendInteger(value) } }

    mutating func encode(_ value: Double) throws {
        try encoder.checkFinite(value, at: .index(count))
        try element { $0.appendDouble(value) }
    }

    mutating func encode(_ value: Float) throws {
        try encoder.checkFinite(value, at: .index(count))
        try element { $0.appendFloat(value) }
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        let rollback = try encoder.beginElement(serial: serial)
        encoder.pushIndex(index)
        defer { encoder.popPath() }
        do {
            try encoder.encodeValue(value)
        } catch {
            encoder.abandonElement(rollback: rollback)
            throw error
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        encoder.discardingEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.discardingEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.discardingEncoder() }
}

/// A single value being written by `StreamingEncoder`.
struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let encoder: StreamingEncoder
    let serial: UInt32

    var codingPath: [any CodingKey] { encoder.codingPath }

    @inline(__always)
    private func value(_ write: (JSONOutput) -> Void) throws {
        try encoder.beginSingleValue(serial: serial)
        write(encoder.output)
    }

    mutating func encodeNil() throws { try value { $0.append("null") } }
    mutating func encode(_ value: Bool) throws { try self.value { $0.append(value ? "true" : "false") } }
    mutating func encode(_ value: String) throws { try self.value { $0.appendString(value) } }
    mutating func encode(_ value: Int) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: Int8) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: Int16) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: Int32) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: Int64) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: Int128) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt8) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt16) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt32) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt64) throws { try self.value { $0.appendInteger(value) } }
    mutating func encode(_ value: UInt128) throws { try self.value { $0.appendInteger(value) } }

    mutating func encode(_ value: Double) throws {
        try encoder.checkFinite(value, at: nil)
        try self.value { $0.appendDouble(value) }
    }

    mutating func encode(_ value: Float) throws {
        try encoder.checkFinite(value, at: nil)
        try self.value { $0.appendFloat(value) }
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.beginSingleValue(serial: serial)
        do {
            try encoder.encodeValue(value)
        } catch {
            encoder.frame.kind = .single
            throw error
        }
    }
}

/// Foundation types that `JSONEncoder` and `JSONDecoder` treat specially rather than through
/// their own Codable conformance; the bus codec does the same so its output stays Foundation's.
enum FoundationValue {
    /// `Data` as Base64 text, `URL` as its absolute string.
    case string(String)
    /// `Decimal` as its decimal text.
    case number(String)

    static func encoded<T: Encodable>(_ value: T) -> FoundationValue? {
        if T.self == Data.self, let data = value as? Data { return .string(data.base64EncodedString()) }
        if T.self == URL.self, let url = value as? URL { return .string(url.absoluteString) }
        if T.self == Decimal.self, let decimal = value as? Decimal { return .number(decimal.description) }
        return nil
    }

    func write(to output: JSONOutput) {
        switch self {
        case .string(let text): output.appendString(text)
        case .number(let text): output.appendText(text)
        }
    }
}
