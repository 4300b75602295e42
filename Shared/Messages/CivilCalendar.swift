/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), in UTC.
///
/// Timestamps and calendar dates are formatted and parsed by hand on the hot path of the bus, so
/// this replaces `Calendar`/`DateFormatter` with the classic era-based conversion between a civil
/// date and a day count, which needs no tables and no loops.
enum CivilCalendar {
    /// Days from 1970-01-01 to the given date; `month` is 1...12 and `day` 1...31.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number.
    static func date(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The number of days in a month of a year.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}

/// Reads fixed-width ASCII fields of dates and times; shared by `Timestamp` and `CalendarDate`.
struct ASCIIFieldReader {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The decimal value of `count` digits at `offset`, or nil if any is not a digit.
    func digits(at offset: Int, count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for index in offset..<(offset + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether the byte at `offset` is `expected`.
    func byte(at offset: Int, is expected: UInt8) -> Bool {
        offset < bytes.count && bytes[offset] == expected
    }

    /// Reads `YYYY-MM-DD` at the start and returns its day number, or a reason it is not a date.
    func calendarDate() -> Result<Int, MessageDecodingError> {
        guard let year = digits(at: 0, count: 4), byte(at: 4, is: UInt8(ascii: "-")),
            let month = digits(at: 5, count: 2), byte(at: 7, is: UInt8(ascii: "-")),
            let day = digits(at: 8, count: 2)
        else {
            return .failure(CalendarDate.formatError("the date is not written as YYYY-MM-DD"))
        }
        guard year >= 1 else { return .failure(CalendarDate.formatError("year 0000 is out of range")) }
        guard (1...12).contains(month) else {
            return .failure(CalendarDate.formatError("month \(month) is out of range"))
        }
        guard day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else {
            return .failure(CalendarDate.formatError("day \(day) is out of range for the month"))
        }
        return .success(CivilCalendar.dayNumber(year: year, month: month, day: day))
    }
}

extension UnsafeMutablePointer<UInt8> {
    /// Writes `value` as exactly `count` decimal digits, zero-padded, and returns the next position.
    @inline(__always)
    func writeDigits(_ value: Int, count: Int) -> UnsafeMutablePointer<UInt8> {
        var remaining = value
        var index = count - 1
        while index >= 0 {
            self[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ UInt8(ascii: "0")
            remaining /= 10
            index -= 1
        }
        return self + count
    }
}
