extension JSONParser {
    // MARK: - Strings

    /// Parses a string at the opening quote: checks escapes and UTF-8, and appends its node.
    mutating func parseString() throws(MessageDecodingError) {
        position += 1
        let start = position
        var hasEscapes = false
        while true {
            // Eight bytes at a time, jumping straight to the first that is not plain ASCII text.
            while position + 8 <= end {
                let special = Self.specialBytes(UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    position += special.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < end else { throw failure(.truncated, "a string is not closed") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try parseEscape()
            } else if byte < 0x20 {
                throw failure(.invalidSyntax, "control characters in strings must be escaped")
            } else if byte < 0x80 {
                position += 1
            } else {
                try parseUTF8Sequence()
            }
        }
        let length = position - start
        guard length <= limits.maxStringBytes else {
            position = start
            throw failure(.stringTooLong, "a string is longer than \(limits.maxStringBytes) bytes")
        }
        position += 1
        append(
            TapeNode(
                kind: .string,
                flag: hasEscapes,
                start: UInt32(start),
                length: UInt32(length),
                next: UInt32(nodeCount + 1)
            )
        )
    }

    /// A mask whose lowest set bit is the high bit of the first of eight little-endian bytes that is
    /// a quote, a backslash, a control character or non-ASCII; zero if there is none. (The tests
    /// may also flag bytes after the first one, never before it.)
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        JSONOutput.escapableBytes(word) | (word & 0x8080_8080_8080_8080)
    }

    private mutating func parseEscape() throws(MessageDecodingError) {
        guard position + 1 < end else { throw failure(.truncated, "a string is not closed") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(at: position)
            position += 6
            if (0xD800...0xDBFF).contains(unit) {
                guard position + 1 < end, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u"),
                    (0xDC00...0xDFFF).contains(try hexEscape(at: position))
                else {
                    throw failure(
                        .invalidSyntax,
                        "a \\u escape of a high surrogate must be followed by one of a low surrogate"
                    )
                }
                position += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw failure(.invalidSyntax, "a \\u escape of a low surrogate must follow one of a high surrogate")
            }
        default:
            position += 1
            throw unexpectedByte("an escape character (\" \\ / b f n r t u)")
        }
    }

    /// The value of the four hex digits of a `\u` escape at `offset`.
    private func hexEscape(at offset: Int) throws(MessageDecodingError) -> UInt16 {
        guard offset + 6 <= end else { throw failure(.truncated, "a string is not closed") }
        var value: UInt16 = 0
        for index in (offset + 2)..<(offset + 6) {
            guard let digit = JSONText.hexValue(bytes[index]) else {
                throw MessageDecodingError(
                    code: .invalidSyntax,
                    reason: "a \\u escape needs four hex digits",
                    byteOffset: index
                )
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Checks one multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func parseUTF8Sequence() throws(MessageDecodingError) {
        let lead = bytes[position]
        let continuationCount: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuationCount = 1
        case 0xE0:
            continuationCount = 2
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
        case 0xED:
            continuationCount = 2
            secondRange = 0x80...0x9F
        case 0xF0:
            continuationCount = 3
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: continuationCount = 3
        case 0xF4:
            continuationCount = 3
            secondRange = 0x80...0x8F
        default: throw failure(.invalidUTF8, "a string is not valid UTF-8")
        }
        for offset in 1...continuationCount {
            guard position + offset < end else { throw failure(.truncated, "a string is not closed") }
            let range = offset == 1 ? secondRange : 0x80...0xBF
            guard range.contains(bytes[position + offset]) else {
                throw failure(.invalidUTF8, "a string is not valid UTF-8")
            }
        }
        position += continuationCount + 1
    }

    /// The text of a string node, for error paths.
    func text(ofString index: Int) -> String {
        let node = nodes[index]
        return JSONText.string(bytes + Int(node.start), count: Int(node.length), escaped: node.flag)
    }

    // MARK: - Duplicate fields

    /// Refuses an object that names a field twice: a consumer taking the first and another taking
    /// the last would read different messages from the same bytes. The object's field fingerprints
    /// are the last `count` entries of `fieldHashes`.
    mutating func checkDuplicateFields(count: Int) throws(MessageDecodingError) {
        let first = fieldHashes.count - count
        if count <= 32 {
            for later in (first + 1)..<fieldHashes.count {
                let hash = fieldHashes[later].hash
                for earlier in first..<later where fieldHashes[earlier].hash == hash {
                    try refuseIfSame(fieldHashes[earlier].key, fieldHashes[later].key)
                }
            }
        } else {
            let sorted = (first..<fieldHashes.count).map { fieldHashes[$0] }.sorted {
                $0.hash < $1.hash || ($0.hash == $1.hash && $0.key < $1.key)
            }
            for index in 1..<count where sorted[index - 1].hash == sorted[index].hash {
                try refuseIfSame(sorted[index - 1].key, sorted[index].key)
            }
        }
    }

    /// A cheap fingerprint of a field name: equal names have equal fingerprints.
    func fieldHash(_ key: Int) -> UInt32 {
        let node = nodes[key]
        if node.flag {
            let name = JSONText.unescape(bytes + Int(node.start), count: Int(node.length))
            return name.withUnsafeBufferPointer { Self.fingerprint($0) }
        }
        return Self.fingerprint(UnsafeBufferPointer(start: bytes + Int(node.start), count: Int(node.length)))
    }

    /// Length, first, middle and last byte: they tell most distinct names apart without reading them whole.
    private static func fingerprint(_ name: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let first = name.first, let last = name.last else { return 0 }
        return UInt32(truncatingIfNeeded: name.count) << 24 | UInt32(first) << 16 | UInt32(name[name.count / 2]) << 8
            | UInt32(last)
    }

    private func refuseIfSame(_ first: Int, _ second: Int) throws(MessageDecodingError) {
        guard
            JSONText.unescape(bytes + Int(nodes[first].start), count: Int(nodes[first].length))
                == JSONText.unescape(bytes + Int(nodes[second].start), count: Int(nodes[second].length))
        else { return }
        throw MessageDecodingError(
            code: .duplicateField,
            path: CodingPathStep.key(text(ofString: second)).prepended(to: ""),
            reason: "the field appears more than once",
            byteOffset: Int(nodes[second].start)
        )
    }
}

/// Reading JSON string text that the parser has already checked.
enum JSONText {
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The text of a string's bytes (between the quotes).
    static func string(_ start: UnsafePointer<UInt8>, count: Int, escaped: Bool) -> String {
        if escaped { return String(decoding: unescape(start, count: count), as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    /// The UTF-8 bytes a checked string's text stands for, escapes resolved.
    static func unescape(_ start: UnsafePointer<UInt8>, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var index = 0
        func hex4(_ offset: Int) -> UInt32 {
            (offset..<(offset + 4)).reduce(0) { $0 << 4 | UInt32(hexValue(start[$1]) ?? 0) }
        }
        while index < count {
            let byte = start[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            let escape = start[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(index + 2) - 0xDC00)
                    index += 6
                }
                result.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: result.append(escape)
            }
        }
        return result
    }
}
