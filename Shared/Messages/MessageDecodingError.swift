import Foundation

/// Why a bus message, a topic, or one field inside them could not be decoded.
///
/// Every failure of the bus codec is one of these, never a crash: `code` names the rule that was
/// broken, `path` names the field (`data.properties.plan`, `data.domains[2]`; empty for the message
/// as a whole) and `reason` says what was wrong in words a person can act on. Reasons describe the
/// rule, not the offending value, so an error can be logged without leaking the payload.
package struct MessageDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule a message broke. A struct rather than an enum so that new rules do not break callers.
    package struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The rule's stable, kebab-case name, suitable for metrics labels.
        package var rawValue: String

        /// Wraps a rule name.
        package init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The rule's name.
        package var description: String { rawValue }

        /// The input is larger than `DecodingLimits.maxInputBytes`.
        package static let tooLarge = Code(rawValue: "too-large")
        /// Objects and arrays are nested deeper than `DecodingLimits.maxDepth`.
        package static let tooDeep = Code(rawValue: "too-deep")
        /// A string or field name is longer than `DecodingLimits.maxStringBytes`.
        package static let stringTooLong = Code(rawValue: "string-too-long")
        /// The input is not valid UTF-8.
        package static let invalidUTF8 = Code(rawValue: "invalid-utf8")
        /// The input is not JSON: an unexpected character, a bad escape, a malformed number.
        package static let invalidSyntax = Code(rawValue: "invalid-syntax")
        /// The input ends before the JSON value does.
        package static let truncated = Code(rawValue: "truncated")
        /// Something other than whitespace follows the JSON value.
        package static let trailingData = Code(rawValue: "trailing-data")
        /// An object names the same field twice.
        package static let duplicateField = Code(rawValue: "duplicate-field")
        /// A value has the wrong JSON type, such as a number where a string belongs.
        package static let typeMismatch = Code(rawValue: "type-mismatch")
        /// A required field is absent.
        package static let missingField = Code(rawValue: "missing-field")
        /// A number does not fit the field's type.
        package static let numberOutOfRange = Code(rawValue: "number-out-of-range")
        /// A value has the right JSON type but breaks the field's own rule (a timestamp, a topic, an id).
        package static let invalidValue = Code(rawValue: "invalid-value")
        /// The message's `schemaversion` is not one this build of Huddle knows for its `type`.
        package static let unsupportedSchemaVersion = Code(rawValue: "unsupported-schema-version")
    }

    /// The rule that was broken.
    package var code: Code
    /// The field, as dotted keys and `[index]` steps; empty when the message as a whole is at fault.
    package var path: String
    /// What was wrong, for people.
    package var reason: String
    /// Where in the input the problem was found, for syntax errors.
    package var byteOffset: Int?

    /// Makes an error from its parts.
    package init(code: Code, path: String = "", reason: String, byteOffset: Int? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.byteOffset = byteOffset
    }

    /// The field and the reason, e.g. "`data.accountID`: expected a string, found a number".
    package var description: String {
        let located = byteOffset.map { "\(reason) (at byte \($0))" } ?? reason
        return path.isEmpty ? located : "`\(path)`: \(located)"
    }

    /// The same error, found one step further in: `step` is prepended to the path.
    func nested(in step: CodingPathStep) -> MessageDecodingError {
        var copy = self
        copy.path = step.prepended(to: path)
        return copy
    }
}

// MARK: - Converting errors of the Codable machinery

extension MessageDecodingError {
    /// Converts an error thrown while decoding, from any decoder, into Huddle's shape.
    ///
    /// `DecodingError`s keep their coding path as `path`; errors that Huddle's own types raise carry
    /// a `MessageDecodingError` as their underlying error, whose `code` and `reason` are kept.
    package init(_ error: any Error) {
        switch error {
        case let error as MessageDecodingError:
            self = error
        case let error as DecodingError:
            self.init(decodingError: error)
        default:
            self.init(code: .invalidValue, reason: String(describing: error))
        }
    }

    private init(decodingError: DecodingError) {
        switch decodingError {
        case .keyNotFound(let key, let context):
            self.init(
                code: .missingField,
                path: CodingPathStep.render(context.codingPath + [key]),
                reason: "required field is missing"
            )
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = CodingPathStep.render(context.codingPath)
            if let underlying = context.underlyingError as? MessageDecodingError {
                self.init(code: underlying.code, path: path, reason: underlying.reason)
            } else if case .dataCorrupted = decodingError {
                self.init(code: .invalidValue, path: path, reason: context.debugDescription)
            } else {
                self.init(code: .typeMismatch, path: path, reason: context.debugDescription)
            }
        @unknown default:
            self.init(code: .invalidValue, reason: String(describing: decodingError))
        }
    }
}

extension DecodingError {
    /// A `DecodingError` that carries a Huddle rule, so converting it back keeps `code` and `reason`.
    static func huddle(
        _ code: MessageDecodingError.Code,
        _ reason: String,
        at codingPath: [any CodingKey]
    ) -> DecodingError {
        .dataCorrupted(
            Context(
                codingPath: codingPath,
                debugDescription: reason,
                underlyingError: MessageDecodingError(code: code, reason: reason)
            )
        )
    }
}
