import Foundation

/// An instant in UTC with microsecond precision; on the wire, RFC 3339 text such as
/// `2026-11-25T02:31:32.123456Z` (always six fraction digits, always `Z`).
///
/// Formatting and parsing are done by hand on bytes, because every bus message carries at least
/// one timestamp and `DateFormatter` would dominate the codec's cost. Parsing is strict RFC 3339:
/// a four-digit year, two-digit fields, `T` (or `t`), seconds, an optional fraction of 1 to 9
/// digits (beyond microseconds it is truncated), and `Z` (or `z`) or a `±HH:MM` offset, which is
/// folded into UTC. Leap seconds (`:60`) are refused: Huddle's clock, like Unix time, has none.
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z; always within `validRange`.
    package let microsecondsSinceEpoch: Int64

    /// The instants RFC 3339 can write with a four-digit year: 0001-01-01 through 9999-12-31.
    package static let validRange: ClosedRange<Int64> = {
        let first = Int64(CivilCalendar.dayNumber(year: 1, month: 1, day: 1)) * microsecondsPerDay
        let afterLast = Int64(CivilCalendar.dayNumber(year: 10_000, month: 1, day: 1)) * microsecondsPerDay
        return first...(afterLast - 1)
    }()

    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// The instant `microseconds` after the epoch, clamped to `validRange`.
    package init(microsecondsSinceEpoch microseconds: Int64) {
        microsecondsSinceEpoch = min(max(microseconds, Self.validRange.lowerBound), Self.validRange.upperBound)
    }

    /// The instant of a Foundation `Date`, truncated to whole microseconds.
    package init(_ date: Date) {
        let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        self.init(microsecondsSinceEpoch: Int64(exactly: microseconds) ?? (microseconds < 0 ? .min : .max))
    }

    /// The current time. Only shells read the clock; cores receive time as a value.
    package static func now() -> Timestamp {
        Timestamp(Date())
    }

    /// The instant as a Foundation `Date`.
    package var date: Date {
        Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000)
    }

    /// Parses RFC 3339 text; see the type's documentation for what is accepted.
    package init(rfc3339 text: String) throws(MessageDecodingError) {
        var text = text
        let parsed = text.withUTF8 { Self.parse($0) }
        self = try parsed.get()
    }

    /// The canonical text: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    package var rfc3339: String {
        String(unsafeUninitializedCapacity: Self.textLength) { buffer in
            write(to: buffer.baseAddress!)
            return Self.textLength
        }
    }

    /// The canonical text.
    package var description: String { rfc3339 }

    /// Whether `lhs` comes before `rhs` in time.

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    // MARK: - Bytes

    /// The length of the canonical text.
    static let textLength = 27

    /// Writes the canonical text (`textLength` bytes) at `pointer`.
    func write(to pointer: UnsafeMutablePointer<UInt8>) {
        let (days, timeOfDay) = microsecondsSinceEpoch.quotientAndRemainderFlooring(Self.microsecondsPerDay)
        let (year, month, day) = CivilCalendar.date(dayNumber: Int(days))
        let seconds = Int(timeOfDay / 1_000_000)
        var cursor = pointer.writeDigits(year, count: 4)
        cursor.pointee = UInt8(ascii: "-")
        cursor = (cursor + 1).writeDigits(month, count: 2)
        cursor.pointee = UInt8(ascii: "-")
        cursor = (cursor + 1).writeDigits(day, count: 2)
        cursor.pointee = UInt8(ascii: "T")
        cursor = (cursor + 1).writeDigits(seconds / 3600, count: 2)
        cursor.pointee = UInt8(ascii: ":")
        cursor = (cursor + 1).writeDigits(seconds / 60 % 60, count: 2)
        cursor.pointee = UInt8(ascii: ":")
        cursor = (cursor + 1).writeDigits(seconds % 60, count: 2)
        cursor.pointee = UInt8(ascii: ".")
        cursor = (cursor + 1).writeDigits(Int(timeOfDay % 1_000_000), count: 6)
        cursor.pointee = UInt8(ascii: "Z")
    }

    /// Parses RFC 3339 text from bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, MessageDecodingError> {
        let reader = ASCIIFieldReader(bytes: bytes)
        let dayNumber: Int
        switch reader.calendarDate() {
        case .success(let day): dayNumber = day
        case .failure(let error): return .failure(formatError(error.reason))
        }
        guard reader.byte(at: 10, is: UInt8(ascii: "T")) || reader.byte(at: 10, is: UInt8(ascii: "t")),
            let hour = reader.digits(at: 11, count: 2), reader.byte(at: 13, is: UInt8(ascii: ":")),
            let minute = reader.digits(at: 14, count: 2), reader.byte(at: 16, is: UInt8(ascii: ":")),
            let second = reader.digits(at: 17, count: 2)
        else { return .failure(formatError("the time is not written as THH:MM:SS")) }
        guard hour <= 23, minute <= 59 else { return .failure(formatError("the time of day is out of range")) }
        guard second <= 59 else {
            return .failure(formatError(second == 60 ? "leap seconds are not supported" : "second is out of range"))
        }
        var offset = 19
        var fraction = 0
        if reader.byte(at: offset, is: UInt8(ascii: ".")) {
            offset += 1
            var digitCount = 0
            while offset < bytes.count, let digit = reader.digits(at: offset, count: 1) {
                digitCount += 1
                guard digitCount <= 9 else { return .failure(formatError("more than 9 fraction digits")) }
                if digitCount <= 6 { fraction = fraction * 10 + digit }
                offset += 1
            }
            guard digitCount > 0 else { return .failure(formatError("a '.' must be followed by digits")) }
            for _ in min(digitCount, 6)..<6 { fraction *= 10 }
        }
        var offsetSeconds = 0
        if reader.byte(at: offset, is: UInt8(ascii: "Z")) || reader.byte(at: offset, is: UInt8(ascii: "z")) {
            offset += 1
        } else if reader.byte(at: offset, is: UInt8(ascii: "+")) || reader.byte(at: offset, is: UInt8(ascii: "-")) {
            guard let offsetHours = reader.digits(at: offset + 1, count: 2),
                reader.byte(at: offset + 3, is: UInt8(ascii: ":")),
                let offsetMinutes = reader.digits(at: offset + 4, count: 2), offsetHours <= 23, offsetMinutes <= 59
            else { return .failure(formatError("the UTC offset is not written as ±HH:MM")) }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[offset] == UInt8(ascii: "-") ? -1 : 1)
            offset += 6
        } else {
            return .failure(formatError("the time zone must be 'Z' or a ±HH:MM offset"))
        }
        guard offset == bytes.count else { return .failure(formatError("unexpected text after the time zone")) }
        let secondsOfDay = hour * 3600 + minute * 60 + second - offsetSeconds
        let microseconds = (Int64(dayNumber) * 86_400 + Int64(secondsOfDay)) * 1_000_000 + Int64(fraction)
        guard validRange.contains(microseconds) else {
            return .failure(formatError("the instant is outside years 0001 to 9999 in UTC"))
        }
        return .success(Timestamp(microsecondsSinceEpoch: microseconds))
    }

    static func formatError(_ detail: String) -> MessageDecodingError {
        MessageDecodingError(code: .invalidValue, reason: "not an RFC 3339 timestamp: \(detail)")
    }
}

extension Timestamp: Codable {
    /// Reads RFC 3339 text from a JSON string.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(rfc3339: text)
        } catch {
            throw DecodingError.huddle(error.code, error.reason, at: container.codingPath)
        }
    }

    /// Writes the canonical RFC 3339 text as a JSON string.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension Int64 {
    /// Division that rounds toward negative infinity, so instants before 1970 split into day and time correctly.
    func quotientAndRemainderFlooring(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
