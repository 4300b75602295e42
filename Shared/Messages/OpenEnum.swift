/// An enum that travels as a string and keeps values it does not know: its `init(rawValue:)`
/// never fails, mapping unknown strings to an `unknown` case that writes the same string back.
///
/// Conforming gives the enum its Codable implementation: a single string. (The standard
/// library's default for `RawRepresentable` does the same, but unspecialised, at several times
/// the cost on the bus's hot path.)
package protocol OpenEnum: Codable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The value with this name; an unknown name gives the `unknown` case.
    init(rawValue: String)
}

extension OpenEnum {
    /// Reads the name from a JSON string; unknown names give the `unknown` case.
    package init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the name as a JSON string.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
