import Logging

/// Just enough JSON writing for log lines: quoted strings and swift-log metadata values.
package enum JSONText {
    /// `text` as a JSON string literal, quotes included, with every character JSON requires escaped.
    package static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u00" + hexDigits(scalar.value)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A metadata value as JSON: strings as strings, arrays as arrays, dictionaries as objects (keys sorted).
    package static func value(_ metadata: Logger.MetadataValue) -> String {
        switch metadata {
        case .string(let text):
            return quoted(text)
        case .stringConvertible(let convertible):
            return quoted(convertible.description)
        case .array(let values):
            return "[" + values.map(value).joined(separator: ",") + "]"
        case .dictionary(let fields):
            return "{"
                + fields.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + value($0.value) }
                .joined(separator: ",") + "}"
        }
    }

    private static func hexDigits(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: 2 - digits.count) + digits
    }
}
