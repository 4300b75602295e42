/// Dictionaries keyed by strings, which the bus decoder fills straight from an object's fields
/// rather than through `Dictionary`'s own Codable code (which collects `allKeys`, casts each key
/// and looks each one up again), as Foundation's `JSONDecoder` does too.
protocol StringKeyedDecodable {
    init(tape: TapeDecoder, object: Int) throws
}

extension Dictionary: StringKeyedDecodable where Key == String, Value: Decodable {
    init(tape: TapeDecoder, object: Int) throws {
        // Signal properties are the dictionaries on the hot path; a loop specialised for them
        // avoids instantiating generic metadata for every insertion.
        if Value.self == PropertyValue.self {
            self = unsafeBitCast(try [String: PropertyValue](fields: tape, object: object), to: Self.self)
        } else {
            self = try Self(fields: tape, object: object)
        }
    }

    private init(fields tape: TapeDecoder, object: Int) throws {
        let count = Int(tape.nodes[object].length)
        self.init(minimumCapacity: count)
        var key = object + 1
        for _ in 0..<count {
            // The parser has refused duplicate field names, so every key is new.
            self[tape.text(of: key)] = try tape.decodeValue(Value.self, at: key + 1)
            key = Int(tape.nodes[key + 1].next)
        }
    }
}
