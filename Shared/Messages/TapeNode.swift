/// One JSON value in the decoder's tape: the parsed document as a flat array, values in document
/// order, each container followed by its members (for objects, key then value).
///
/// Sixteen bytes per value; nothing is copied out of the input until a field is decoded.
struct TapeNode {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null

        /// How errors name the kind: "a string", "an object".
        var phrase: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .true, .false: "a boolean"
            case .null: "null"
            }
        }
    }

    var kind: Kind
    /// For strings: whether the text has escapes. For numbers: whether it is written as an integer
    /// (no fraction, no exponent).
    var flag: Bool
    /// Strings and numbers: the offset of the first byte of the text (after the quote).
    /// Objects: where the next field lookup starts (a key's node index; 0 for the first field).
    var start: UInt32
    /// Strings and numbers: the text's length in bytes. Objects and arrays: the number of members.
    var length: UInt32
    /// The index of the node after this value and everything inside it.
    var next: UInt32
}
