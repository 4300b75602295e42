import Foundation

/// One value in a signal's free-form `properties`: a string, an integer, a number, a boolean or null.
///
/// It decodes from whichever JSON type is present. A JSON number whose value is an integer that
/// fits in 64 bits is an `.int` (also when written `2.0` or `1e3`, as Foundation's decoder reads
/// it); any other number is a `.double`. So a `.double` with an integral value, which Foundation's
/// encoder writes as `3`, reads back as `.int(3)`.
package enum PropertyValue: Hashable, Sendable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null
}

extension PropertyValue: Codable {
    /// Reads whichever JSON type is present.
    package init(from decoder: any Decoder) throws {
        // The bus codec reads and writes properties directly (see TapeDecoder and
        // StreamingEncoder); this is the path of other decoders, such as Foundation's.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Writes the value as the JSON type it holds.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
