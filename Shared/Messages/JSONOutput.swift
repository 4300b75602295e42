import Foundation

/// A growable byte buffer that the bus encoder writes JSON into, with Foundation's formatting.
///
/// The formatting rules are those of `JSONEncoder` with `.withoutEscapingSlashes`, so the bus
/// codec's output is byte for byte Foundation's: strings escape `"`, `\` and the C0 controls
/// (`\b \f \n \r \t`, the rest as `\u00xx` in lowercase hex) and nothing else; integers are plain
/// decimal; floating-point numbers are Swift's shortest round-trip `description` without a
/// trailing `.0`.
final class JSONOutput {
    // Dynamic exclusivity checks on these hot fields cost more than the writes they guard. An
    // output belongs to one encoding call on one thread and none of its methods re-enter, so no
    // overlapping access can occur.
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    /// The number of bytes written; lowering it discards what follows.
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(toAtLeast: count + extra) }
    }

    @inline(never)
    private func grow(toAtLeast needed: Int) {
        let newCapacity = Swift.max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    func append(_ source: UnsafePointer<UInt8>, count length: Int) {
        reserve(length)
        (base + count).update(from: source, count: length)
        count &+= length
    }

    func append(_ literal: StaticString) {
        append(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Writes a fixed-length piece of text produced by `write`.
    @inline(__always)
    func append(length: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void) {
        reserve(length)
        write(base + count)
        count &+= length
    }

    // MARK: - Strings

    /// Writes `text` as a quoted JSON string; returns whether any character had to be escaped.
    @discardableResult
    func appendString(_ text: String) -> Bool {
        if let escaped = text.utf8.withContiguousStorageIfAvailable({ appendString(utf8: $0) }) {
            return escaped
        }
        return Array(text.utf8).withUnsafeBufferPointer { appendString(utf8: $0) }
    }

    /// Writes UTF-8 text as a quoted JSON string; returns whether any character had to be escaped.
    func appendString(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = utf8.count
        reserve(length + 2)
        base[count] = UInt8(ascii: "\"")
        count &+= 1
        guard let source = utf8.baseAddress else {
            append(UInt8(ascii: "\""))
            return false
        }
        var index = 0
        // Eight bytes at a time while none needs escaping, which is nearly always.
        while index + 8 <= length {
            let escapable = Self.escapableBytes(UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self))
            if escapable != 0 {
                index &+= escapable.trailingZeroBitCount >> 3
                break
            }
            index &+= 8
        }
        if index + 8 > length {
            while index < length, !Self.needsEscape(source[index]) { index &+= 1 }
        }
        if index == length {
            (base + count).update(from: source, count: length)
            count &+= length
            base[count] = UInt8(ascii: "\"")
            count &+= 1
            return false
        }
        var mark = 0
        while index < length {
            let byte = source[index]
            if Self.needsEscape(byte) {
                append(source + mark, count: index - mark)
                appendEscape(byte)
                mark = index + 1
            }
            index &+= 1
        }
        append(source + mark, count: length - mark)
        append(UInt8(ascii: "\""))
        return true
    }

    /// A mask whose lowest set bit is the high bit of the first of eight little-endian bytes that
    /// is a quote, a backslash or a control character; zero if there is none. (Bytes after the
    /// first may be flagged wrongly, never bytes before it, so only the lowest bit is meaningful.)
    @inline(__always)
    static func escapableBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quoteless = word ^ (ones &* 0x22)
        let backslashless = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        let quote = (quoteless &- ones) & ~quoteless
        let backslash = (backslashless &- ones) & ~backslashless
        return (control | quote | backslash) & highBits
    }

    /// Compares two byte strings lexicographically: negative, zero or positive.
    static func compare(
        _ left: UnsafePointer<UInt8>,
        _ leftCount: Int,
        _ right: UnsafePointer<UInt8>,
        _ rightCount: Int
    ) -> Int {
        for index in 0..<min(leftCount, rightCount) where left[index] != right[index] {
            return left[index] < right[index] ? -1 : 1
        }
        return leftCount == rightCount ? 0 : (leftCount < rightCount ? -1 : 1)
    }

    /// Whether `left` sorts before `right` by UTF-8 bytes, the order of Foundation's `.sortedKeys`.
    static func utf8Precedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                guard let leftStart = leftBytes.baseAddress, let rightStart = rightBytes.baseAddress else {
                    return leftBytes.count < rightBytes.count
                }
                return compare(leftStart, leftBytes.count, rightStart, rightBytes.count) < 0
            }
        }
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        default:
            let hex: StaticString = "0123456789abcdef"
            append("\\u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Reverses `appendString` for one string written earlier, for the rare keys that needed escapes.
    func unescapedString(from start: Int, to end: Int) -> [UInt8] {
        var result: [UInt8] = []
        var index = start
        while index < end {
            let byte = base[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            switch base[index + 1] {
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                // Only \u00xx is ever written here.
                let high = JSONOutput.hexValue(base[index + 4])
                let low = JSONOutput.hexValue(base[index + 5])
                result.append(high << 4 | low)
                index += 4
            default: result.append(base[index + 1])
            }
            index += 2
        }
        return result
    }

    private static func hexValue(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10
    }

    // MARK: - Numbers

    /// Writes an integer in plain decimal.
    @inline(__always)
    func appendInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        if Integer.bitWidth <= 64 {
            appendDecimal(magnitude: UInt64(truncatingIfNeeded: value.magnitude), negative: value < 0)
        } else {
            appendText(value.description)
        }
    }

    func appendDecimal(magnitude: UInt64, negative: Bool) {
        reserve(21)
        if negative {
            base[count] = UInt8(ascii: "-")
            count &+= 1
        }
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits &+= 1
        }
        var position = count &+ digits
        rest = magnitude
        repeat {
            position &-= 1
            base[position] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
            rest /= 10
        } while rest > 0
        count &+= digits
    }

    /// Writes a finite `Double` as Foundation does: its shortest round-trip text without a trailing `.0`.
    func appendDouble(_ value: Double) {
        // Integral values below 10^15 print as digits followed by ".0", so they are written as integers.
        let magnitude = value.magnitude
        if magnitude < 1e15, magnitude.rounded(.towardZero) == magnitude {
            appendDecimal(magnitude: UInt64(magnitude), negative: value.sign == .minus)
        } else {
            appendFloatingPointText(value.description)
        }
    }

    /// Writes a finite `Float` as Foundation does.
    func appendFloat(_ value: Float) {
        appendFloatingPointText(value.description)
    }

    private func appendFloatingPointText(_ text: String) {
        appendText(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    /// Writes text that needs no escaping, such as a number's digits.
    func appendText(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if let source = bytes.baseAddress { append(source, count: bytes.count) }
        }
    }
}
