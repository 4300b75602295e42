import Foundation

/// The id of one bus event: a UUIDv7 (RFC 9562), written as lowercase `8-4-4-4-12` hex text.
///
/// The first 48 bits are the Unix time in milliseconds, so ids sort by creation time, both as
/// values and as text; that keeps the unique indexes they land in append-mostly (random keys cost
/// SQLite several times its insert rate). The remaining 74 bits are random, or, for ids made in
/// the same millisecond by one `EventIDGenerator`, a counter above the previous id.
package struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bits 0–63: the millisecond time, the version (7) and 12 random bits.
    package let high: UInt64
    /// Bits 64–127: the variant (`10`) and 62 random bits.
    package let low: UInt64

    /// An id from its time and random parts; only the low 12 bits of `randomA` and 62 bits of `randomB` are used.
    package init(unixMilliseconds: UInt64, randomA: UInt16, randomB: UInt64) {
        high = (unixMilliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | UInt64(randomA & 0x0FFF)
        low = 0x8000_0000_0000_0000 | (randomB & 0x3FFF_FFFF_FFFF_FFFF)
    }

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses the `8-4-4-4-12` hex form (either case); it must be a version 7, RFC 9562 variant UUID.
    package init(uuidString text: String) throws(MessageDecodingError) {
        var text = text
        self = try text.withUTF8 { Self.parse($0) }.get()
    }

    /// The Unix time in milliseconds at which the id was made.
    package var unixMilliseconds: UInt64 { high >> 16 }

    /// The lowercase `8-4-4-4-12` hex form.
    package var uuidString: String {
        String(unsafeUninitializedCapacity: Self.textLength) { buffer in
            write(to: buffer.baseAddress!)
            return Self.textLength
        }
    }

    /// The lowercase `8-4-4-4-12` hex form.
    package var description: String { uuidString }

    /// Whether `lhs` comes before `rhs` in time.

    package static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// The next id in order: the 74 random bits plus one, carrying into the millisecond.
    func successor() -> EventID {
        let randomB = low & 0x3FFF_FFFF_FFFF_FFFF
        if randomB < 0x3FFF_FFFF_FFFF_FFFF {
            return EventID(high: high, low: low + 1)
        }
        let randomA = high & 0x0FFF
        if randomA < 0x0FFF {
            return EventID(high: high + 1, low: 0x8000_0000_0000_0000)
        }
        return EventID(unixMilliseconds: unixMilliseconds + 1, randomA: 0, randomB: 0)
    }

    // MARK: - Bytes

    /// The length of the text form.
    static let textLength = 36

    /// Writes the text form (`textLength` bytes) at `pointer`.
    func write(to pointer: UnsafeMutablePointer<UInt8>) {
        // Hex digits of the 16 bytes, with hyphens before bytes 4, 6, 8 and 10.
        var cursor = pointer
        for byteIndex in 0..<16 {
            if byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                cursor.pointee = UInt8(ascii: "-")
                cursor += 1
            }
            let word = byteIndex < 8 ? high : low
            let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - (byteIndex % 8) * 8))
            cursor[0] = Self.hexDigit(byte >> 4)
            cursor[1] = Self.hexDigit(byte & 0xF)
            cursor += 2
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Parses the text form from bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<EventID, MessageDecodingError> {
        guard bytes.count == textLength else {
            return .failure(formatError("expected 36 characters in the form 8-4-4-4-12"))
        }
        var words: (UInt64, UInt64) = (0, 0)
        var nibble = 0
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return .failure(formatError("expected the form 8-4-4-4-12")) }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return .failure(formatError("expected hexadecimal digits"))
            }
            if nibble < 16 {
                words.0 = words.0 << 4 | UInt64(value)
            } else {
                words.1 = words.1 << 4 | UInt64(value)
            }
            nibble += 1
        }
        guard words.0 >> 12 & 0xF == 7 else {
            return .failure(formatError("version \(words.0 >> 12 & 0xF) found, version 7 required"))
        }
        guard words.1 >> 62 == 0b10 else { return .failure(formatError("not an RFC 9562 variant UUID")) }
        return .success(EventID(high: words.0, low: words.1))
    }

    static func formatError(_ detail: String) -> MessageDecodingError {
        MessageDecodingError(code: .invalidValue, reason: "not a UUIDv7 event id: \(detail)")
    }
}

extension EventID: Codable {
    /// Reads the `8-4-4-4-12` text from a JSON string.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(uuidString: text)
        } catch {
            throw DecodingError.huddle(error.code, error.reason, at: container.codingPath)
        }
    }

    /// Writes the lowercase `8-4-4-4-12` text as a JSON string.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(uuidString)
    }
}

/// Makes strictly increasing `EventID`s for one publisher.
///
/// Time and randomness come in as arguments so tests can fix both. An id is never below or equal
/// to the previous one, even when the clock stands still or steps back: then the previous id's
/// random bits are counted up instead (RFC 9562, section 6.2, method 2).
package struct EventIDGenerator: Sendable {
    private var previous: EventID?

    /// A generator that has made no ids yet.
    package init() {}

    /// The next id for an event made at `time`, drawing random bits from `random`.
    package mutating func next(at time: Timestamp, using random: inout some RandomNumberGenerator) -> EventID {
        let milliseconds = UInt64(max(0, time.microsecondsSinceEpoch / 1000))
        // Raw words, masked by `EventID.init`: as uniform as `random(in:using:)`, which costs a
        // generic call per event here because the generator's type is only known at run time.
        var id = EventID(
            unixMilliseconds: milliseconds,
            randomA: UInt16(truncatingIfNeeded: random.next()),
            randomB: random.next()
        )
        if let previous, id <= previous {
            id = previous.successor()
        }
        previous = id
        return id
    }

    /// The next id for an event made at `time`, with the system's random numbers.
    package mutating func next(at time: Timestamp) -> EventID {
        var random = SystemRandomNumberGenerator()
        return next(at: time, using: &random)
    }
}
