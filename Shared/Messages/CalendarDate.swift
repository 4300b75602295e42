import Foundation

/// A day in the calendar with no time of day, such as a milestone's due date; `YYYY-MM-DD` on the wire.
package struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    package var dayNumber: Int

    /// The date `dayNumber` days after 1970-01-01.
    package init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// The given date; returns nil if the day does not exist (February 30th) or the year is outside 1...9999.
    package init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        dayNumber = CivilCalendar.dayNumber(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a real date.
    package init(iso8601 text: String) throws(MessageDecodingError) {
        var text = text
        let parsed = text.withUTF8 { bytes in
            let reader = ASCIIFieldReader(bytes: bytes)
            return bytes.count == 10 ? reader.calendarDate() : .failure(Self.formatError("expected YYYY-MM-DD"))
        }
        dayNumber = try parsed.get()
    }

    /// The year, month and day.
    package var components: (year: Int, month: Int, day: Int) { CivilCalendar.date(dayNumber: dayNumber) }

    /// `YYYY-MM-DD`.
    package var description: String {
        let (year, month, day) = components
        return String(unsafeUninitializedCapacity: 10) { buffer in
            var cursor = buffer.baseAddress!.writeDigits(year, count: 4)
            cursor.pointee = UInt8(ascii: "-")
            cursor = (cursor + 1).writeDigits(month, count: 2)
            cursor.pointee = UInt8(ascii: "-")
            _ = (cursor + 1).writeDigits(day, count: 2)
            return 10
        }
    }

    /// Whether `lhs` comes before `rhs` in time.

    package static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    static func formatError(_ detail: String) -> MessageDecodingError {
        MessageDecodingError(code: .invalidValue, reason: "not a calendar date (YYYY-MM-DD): \(detail)")
    }
}

extension CalendarDate: Codable {
    /// Reads `YYYY-MM-DD` from a JSON string.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(iso8601: text)
        } catch {
            throw DecodingError.huddle(error.code, error.reason, at: container.codingPath)
        }
    }

    /// Writes `YYYY-MM-DD` as a JSON string.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
