import Foundation
import Messages
import Testing

@Suite("Timestamps and calendar dates")
struct TimestampTests {
    @Test(
        "timestamps are written as RFC 3339 UTC with six fraction digits",
        arguments: [
            (0 as Int64, "1970-01-01T00:00:00.000000Z"), (-1, "1969-12-31T23:59:59.999999Z"),
            (1_795_833_092_123_456, "2026-11-28T02:31:32.123456Z"),
            (951_782_400_000_001, "2000-02-29T00:00:00.000001Z"),
            (1_709_164_799_999_999, "2024-02-28T23:59:59.999999Z"),
            (-62_135_596_800_000_000, "0001-01-01T00:00:00.000000Z"),
            (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
        ]
    )
    func format(microseconds: Int64, text: String) throws {
        let timestamp = Timestamp(microsecondsSinceEpoch: microseconds)
        #expect(timestamp.rfc3339 == text)
        #expect(try Timestamp(rfc3339: text) == timestamp)
    }

    @Test("instants outside years 0001 to 9999 are clamped")
    func clamped() {
        #expect(Timestamp(microsecondsSinceEpoch: .min).rfc3339 == "0001-01-01T00:00:00.000000Z")
        #expect(Timestamp(microsecondsSinceEpoch: .max).rfc3339 == "9999-12-31T23:59:59.999999Z")
    }

    @Test(
        "RFC 3339 variants parse to the same instant",
        arguments: [
            ("2026-11-25T02:31:32Z", 1_795_573_892_000_000 as Int64), ("2026-11-25T02:31:32.1Z", 1_795_573_892_100_000),
            ("2026-11-25t02:31:32.123456z", 1_795_573_892_123_456),
            ("2026-11-25T02:31:32.123456789Z", 1_795_573_892_123_456),
            ("2026-11-25T04:31:32.5+02:00", 1_795_573_892_500_000),
            ("2026-11-24T21:01:32-05:30", 1_795_573_892_000_000),
            ("2026-11-25T02:31:32-00:00", 1_795_573_892_000_000),
        ]
    )
    func variants(text: String, microseconds: Int64) throws {
        #expect(try Timestamp(rfc3339: text).microsecondsSinceEpoch == microseconds)
    }

    @Test(
        "malformed timestamps are refused",
        arguments: [
            "", "2026-11-25", "2026-11-25T02:31:32", "2026-11-25 02:31:32Z", "26-11-25T02:31:32Z",
            "2026-13-25T02:31:32Z",
            "2026-02-29T02:31:32Z", "2026-04-31T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z",
            "2026-12-31T23:59:60Z", "2026-11-25T02:31:32.Z", "2026-11-25T02:31:32.1234567890Z",
            "2026-11-25T02:31:32+2:00",
            "2026-11-25T02:31:32+24:00", "2026-11-25T02:31:32Zjunk", "0000-01-01T00:00:00Z",
            "0001-01-01T00:00:00+00:01",
            "2026-11-25T02:31:32.123456Z ", "２026-11-25T02:31:32Z",
        ]
    )
    func malformed(text: String) {
        let error = #expect(throws: MessageDecodingError.self) { try Timestamp(rfc3339: text) }
        #expect(error?.code == .invalidValue)
    }

    @Test("random instants survive formatting and parsing")
    func randomRoundTrips() throws {
        var random = SeededRandom(state: 17)
        for _ in 0..<2000 {
            let timestamp = Timestamp(microsecondsSinceEpoch: Int64.random(in: Timestamp.validRange, using: &random))
            #expect(try Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        }
    }

    @Test("timestamps convert to and from Foundation dates at microsecond precision")
    func dates() {
        let timestamp = Timestamp(microsecondsSinceEpoch: 1_795_833_092_123_456)
        #expect(Timestamp(timestamp.date) == timestamp)
        #expect(Timestamp(Date(timeIntervalSince1970: 0.25)).microsecondsSinceEpoch == 250_000)
        #expect(Timestamp(Date(timeIntervalSince1970: -0.5)).rfc3339 == "1969-12-31T23:59:59.500000Z")
    }

    @Test("calendar dates are written YYYY-MM-DD and parsed strictly")
    func calendarDates() throws {
        let date = try #require(CalendarDate(year: 2024, month: 2, day: 29))
        #expect(date.description == "2024-02-29")
        #expect(try CalendarDate(iso8601: "2024-02-29") == date)
        #expect(CalendarDate(dayNumber: 0).description == "1970-01-01")
        #expect(CalendarDate(year: 2026, month: 2, day: 29) == nil)
        for bad in ["2026-02-29", "2026-1-05", "2026-01-05T00:00:00Z", "20260105", "2026-00-10", ""] {
            #expect(throws: MessageDecodingError.self) { try CalendarDate(iso8601: bad) }
        }
        let encoded = try BusCodec().encode([date])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2024-02-29"]"#)
        #expect(try BusCodec().decode([CalendarDate].self, from: encoded) == [date])
    }
}
