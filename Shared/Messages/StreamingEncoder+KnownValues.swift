import Foundation

extension StreamingEncoder {
    /// Writes values of Huddle's own wire types and of the Foundation types that Foundation's
    /// encoder treats specially, without going through their `encode(to:)`; returns false for
    /// other types. The output is what their `encode(to:)` would produce.
    @inline(__always)
    func encodeKnownValue<T: Encodable>(_ value: T) throws -> Bool {
        if T.self == String.self {
            output.appendString(unsafeBitCast(value, to: String.self))
        } else if T.self == Timestamp.self {
            output.append(unsafeBitCast(value, to: Timestamp.self))
        } else if T.self == EventID.self {
            output.append(unsafeBitCast(value, to: EventID.self))
        } else if T.self == StreamName.self {
            unsafeBitCast(value, to: StreamName.self).write(to: output)
        } else if T.self == PropertyValue.self {
            try encodeProperty(unsafeBitCast(value, to: PropertyValue.self))
        } else if let special = FoundationValue.encoded(value) {
            special.write(to: output)
        } else {
            return false
        }
        return true
    }

    /// Writes a signal property.
    func encodeProperty(_ property: PropertyValue) throws {
        switch property {
        case .string(let text): output.appendString(text)
        case .int(let number): output.appendInteger(number)
        case .double(let number):
            try checkFinite(number, at: nil)
            output.appendDouble(number)
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .null: output.append("null")
        }
    }

    /// Writes a string-keyed dictionary with its keys sorted up front, instead of through
    /// `Dictionary`'s own Codable code and a sort of the written fields.
    func encodeDictionary<T, Dictionary: StringKeyedEncodable>(_ value: T, as type: Dictionary.Type) throws {
        // The caller's cast established that `T` is `Dictionary`.
        let dictionary = unsafeBitCast(value, to: Dictionary.self)
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "nested deeper than \(Self.maxDepth) levels"
                )
            )
        }
        let start = output.count
        output.append(UInt8(ascii: "{"))
        do {
            try dictionary.encodeSortedFields(to: self)
        } catch {
            output.count = start
            throw error
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Writes one field of a dictionary being written by `encodeDictionary`.
    func encodeDictionaryField<Value: Encodable>(_ key: String, _ value: Value, first: Bool) throws {
        if !first { output.append(UInt8(ascii: ",")) }
        pathMarks.append(output.count)
        defer { popPath() }
        output.appendString(key)
        output.append(UInt8(ascii: ":"))
        try encodeValue(value)
    }
}
