/// Dictionaries keyed by strings, which the bus encoder writes with their keys sorted up front
/// rather than through `Dictionary`'s own Codable code and a sort of the written fields.
protocol StringKeyedEncodable {
    func encodeSortedFields(to encoder: StreamingEncoder) throws
}

extension Dictionary: StringKeyedEncodable where Key == String, Value: Encodable {
    func encodeSortedFields(to encoder: StreamingEncoder) throws {
        // Signal properties are the dictionaries on the hot path; code specialised for them
        // avoids generic metadata and unspecialised sorting.
        if Value.self == PropertyValue.self {
            try unsafeBitCast(self, to: [String: PropertyValue].self).encodeFieldsInKeyOrder(to: encoder)
        } else {
            try encodeFieldsInKeyOrder(to: encoder)
        }
    }

    private func encodeFieldsInKeyOrder(to encoder: StreamingEncoder) throws {
        let fields = sorted { JSONOutput.utf8Precedes($0.key, $1.key) }
        for (index, field) in fields.enumerated() {
            try encoder.encodeDictionaryField(field.key, field.value, first: index == 0)
        }
    }
}
