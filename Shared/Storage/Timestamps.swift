import Foundation

/// Clock readings as the storage layer writes them.
package enum Timestamps {
    /// Milliseconds since 1970, the form time columns use (a 64-bit integer on both engines).
    package static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Now as ISO 8601 text, for human-facing columns.
    static func nowISO8601() -> String {
        Date().formatted(.iso8601)
    }
}
