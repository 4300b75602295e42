/// Checks JSON input against the grammar (RFC 8259) and the decoding limits, and builds the tape.
///
/// One pass, no allocation per value. Strict: no comments, no trailing commas, no leading zeros,
/// no control characters or invalid UTF-8 in strings, no unpaired surrogate escapes, no duplicate
/// field names, nothing but whitespace after the value. Numbers longer than 100 characters are
/// refused as out of range rather than handed to a float parser.
struct JSONParser {
    static let maxNumberLength = 100

    let bytes: UnsafePointer<UInt8>
    let end: Int
    let limits: DecodingLimits
    var position = 0
    private(set) var nodes: UnsafeMutablePointer<TapeNode>
    private(set) var nodeCount = 0
    private var nodeCapacity: Int
    /// Fingerprints of the field names of the objects being parsed, innermost object last.
    var fieldHashes = GrowableBuffer<(hash: UInt32, key: Int)>(capacity: 32)

    /// A parser over `count` bytes; the caller owns `bytes` and, after `parse()`, `nodes`, and
    /// calls `finish()` once done with the parser.
    init(bytes: UnsafePointer<UInt8>, count: Int, limits: DecodingLimits) {
        self.bytes = bytes
        self.end = count
        self.limits = limits
        nodeCapacity = count / 8 + 16
        nodes = .allocate(capacity: nodeCapacity)
    }

    /// Releases the parser's working memory (not `nodes`).
    func finish() {
        fieldHashes.deallocate()
    }

    /// Parses the whole input; then appends one extra `null` node, which decoders use for absent values.
    mutating func parse() throws(MessageDecodingError) {
        skipWhitespace()
        guard position < end else { throw failure(.truncated, "the message is empty") }
        try parseValue(depth: 0)
        skipWhitespace()
        guard position == end else { throw failure(.trailingData, "unexpected data after the JSON value") }
        append(TapeNode(kind: .null, flag: false, start: 0, length: 0, next: UInt32(nodeCount + 1)))
    }

    func failure(_ code: MessageDecodingError.Code, _ reason: String) -> MessageDecodingError {
        MessageDecodingError(code: code, reason: reason, byteOffset: position)
    }

    @discardableResult
    @inline(__always)
    mutating func append(_ node: TapeNode) -> Int {
        if nodeCount == nodeCapacity { growNodes() }
        nodes[nodeCount] = node
        nodeCount += 1
        return nodeCount - 1
    }

    private mutating func growNodes() {
        let newCapacity = nodeCapacity * 2
        let newNodes = UnsafeMutablePointer<TapeNode>.allocate(capacity: newCapacity)
        newNodes.moveInitialize(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = newNodes
        nodeCapacity = newCapacity
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(MessageDecodingError) {
        switch bytes[position] {
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true", .true)
        case UInt8(ascii: "f"): try parseLiteral("false", .false)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        default: throw unexpectedByte("a JSON value")
        }
    }

    func unexpectedByte(_ expected: String) -> MessageDecodingError {
        let byte = bytes[position]
        let found =
            byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return failure(.invalidSyntax, "expected \(expected), found \(found)")
    }

    private mutating func parseObject(depth: Int) throws(MessageDecodingError) {
        guard depth <= limits.maxDepth else {
            throw failure(.tooDeep, "objects and arrays are nested more than \(limits.maxDepth) deep")
        }
        let index = append(TapeNode(kind: .object, flag: false, start: 0, length: 0, next: 0))
        position += 1
        skipWhitespace()
        var count = 0
        if position < end, bytes[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard position < end else { throw failure(.truncated, "an object is not closed") }
                guard bytes[position] == UInt8(ascii: "\"") else {
                    throw unexpectedByte("a field name in double quotes")
                }
                let keyIndex = nodeCount
                try parseString()
                fieldHashes.append((fieldHash(keyIndex), keyIndex))
                skipWhitespace()
                guard position < end else { throw failure(.truncated, "an object is not closed") }
                guard bytes[position] == UInt8(ascii: ":") else { throw unexpectedByte("':' after a field name") }
                position += 1
                skipWhitespace()
                do throws(MessageDecodingError) {
                    guard position < end else { throw failure(.truncated, "a field has no value") }
                    try parseValue(depth: depth)
                } catch {
                    throw error.nested(in: .key(text(ofString: keyIndex)))
                }
                count += 1
                skipWhitespace()
                guard position < end else { throw failure(.truncated, "an object is not closed") }
                let separator = bytes[position]
                if separator == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if separator == UInt8(ascii: "}") {
                    position += 1
                    break
                } else {
                    throw unexpectedByte("',' or '}' after a field")
                }
            }
        }
        nodes[index].length = UInt32(count)
        nodes[index].next = UInt32(nodeCount)
        if count > 1 { try checkDuplicateFields(count: count) }
        fieldHashes.truncate(to: fieldHashes.count - count)
    }

    private mutating func parseArray(depth: Int) throws(MessageDecodingError) {
        guard depth <= limits.maxDepth else {
            throw failure(.tooDeep, "objects and arrays are nested more than \(limits.maxDepth) deep")
        }
        let index = append(TapeNode(kind: .array, flag: false, start: 0, length: 0, next: 0))
        position += 1
        skipWhitespace()
        var count = 0
        if position < end, bytes[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                do throws(MessageDecodingError) {
                    guard position < end else { throw failure(.truncated, "an array is not closed") }
                    try parseValue(depth: depth)
                } catch {
                    throw error.nested(in: .index(count))
                }
                count += 1
                skipWhitespace()
                guard position < end else { throw failure(.truncated, "an array is not closed") }
                let separator = bytes[position]
                if separator == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                } else if separator == UInt8(ascii: "]") {
                    position += 1
                    break
                } else {
                    throw unexpectedByte("',' or ']' after an element")
                }
            }
        }
        nodes[index].length = UInt32(count)
        nodes[index].next = UInt32(nodeCount)
    }

    private mutating func parseLiteral(_ literal: StaticString, _ kind: TapeNode.Kind) throws(MessageDecodingError) {
        let text = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard position + offset < end else { throw failure(.truncated, "the input ends inside \(literal)") }
            guard bytes[position + offset] == text[offset] else {
                position += offset
                throw unexpectedByte("'\(Character(Unicode.Scalar(text[offset])))' of \(literal)")
            }
        }
        position += literal.utf8CodeUnitCount
        append(TapeNode(kind: kind, flag: false, start: 0, length: 0, next: UInt32(nodeCount + 1)))
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(MessageDecodingError) {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        try expectDigit("a digit")
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < end, isDigit(bytes[position]) {
                throw failure(.invalidSyntax, "numbers must not have leading zeros")
            }
        } else {
            skipDigits()
        }
        if position < end, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try expectDigit("a digit after '.'")
            skipDigits()
        }
        if position < end, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try expectDigit("a digit in the exponent")
            skipDigits()
        }
        let length = position - start
        guard length <= Self.maxNumberLength else {
            position = start
            throw failure(.numberOutOfRange, "a number is longer than \(Self.maxNumberLength) characters")
        }
        append(
            TapeNode(
                kind: .number,
                flag: isInteger,
                start: UInt32(start),
                length: UInt32(length),
                next: UInt32(nodeCount + 1)
            )
        )
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func expectDigit(_ expected: String) throws(MessageDecodingError) {
        guard position < end else { throw failure(.truncated, "the input ends inside a number") }
        guard isDigit(bytes[position]) else { throw unexpectedByte(expected) }
    }

    private mutating func skipDigits() {
        while position < end, isDigit(bytes[position]) { position += 1 }
    }
}
