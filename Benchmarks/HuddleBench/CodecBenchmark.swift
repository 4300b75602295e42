import Foundation
import Messages

/// `scripts/bench codec`: the bus codec on signal envelopes, in one process, one thread: the plain
/// signal paths (`encodeEvent`, `decodeEvent`) against the Codable paths (`encode`,
/// `decode(BusEvent.self, from:)`) that serve every other message. Every round runs the four in
/// turn over the same 1,000 envelopes, so noise from this shared machine hits them alike; the
/// figures are medians over the rounds, the speed-ups medians of per-round ratios.
struct CodecBenchmark {
    let rounds: Int
    let count: Int

    func run() throws {
        var generator = EventIDGenerator()
        var random = SystemRandomNumberGenerator()
        let events = (1...1000).map { EnvelopeWorker.envelope(seq: UInt64($0), generator: &generator, random: &random) }
        let codec = BusCodec()
        let envelopes = try events.map { try codec.encodeEvent($0) }
        var nanoseconds: [String: [Double]] = [:]
        for _ in 0..<rounds {
            nanoseconds["encode_plain", default: []].append(
                try time { index in try codec.encodeEvent(events[index % 1000]).count }
            )
            nanoseconds["encode_codable", default: []].append(
                try time { index in try codec.encode(events[index % 1000]).count }
            )
            nanoseconds["decode_plain", default: []].append(
                try time { index in Int(try codec.decodeEvent(from: envelopes[index % 1000]).header.seq) }
            )
            nanoseconds["decode_codable", default: []].append(
                try time { index in Int(try codec.decode(BusEvent.self, from: envelopes[index % 1000]).header.seq) }
            )
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func speedUp(_ operation: String) -> Double {
            median(zip(nanoseconds["\(operation)_codable"]!, nanoseconds["\(operation)_plain"]!).map { $0 / $1 })
        }
        func cell(_ key: String) -> String { String(format: "%7.0f ns", median(nanoseconds[key]!)) }
        print(
            """
            Signal envelopes (\(envelopes[0].count) bytes), \(count) per measurement, median of \(rounds) rounds:
                       plain path   Codable path   speed-up
              encode   \(cell("encode_plain"))   \(cell("encode_codable"))     ×\(String(format: "%.2f", speedUp("encode")))
              decode   \(cell("decode_plain"))   \(cell("decode_codable"))     ×\(String(format: "%.2f", speedUp("decode")))
              reproduce: scripts/bench codec --rounds \(rounds) --count \(count)
            """
        )
        let figures: [(String, Double)] = [
            ("encode_ns", median(nanoseconds["encode_plain"]!)),
            ("encode_codable_ns", median(nanoseconds["encode_codable"]!)),
            ("encode_speedup", speedUp("encode")),
            ("decode_ns", median(nanoseconds["decode_plain"]!)),
            ("decode_codable_ns", median(nanoseconds["decode_codable"]!)),
            ("decode_speedup", speedUp("decode")),
        ]
        let json =
            figures.map { "\"\($0.0)\": \(String(format: "%.2f", $0.1))" } + [
                "\"envelope_bytes\": \(envelopes[0].count)"
            ]
        print("{" + json.joined(separator: ", ") + "}")
    }

    /// Nanoseconds per call of `body`, over `count` calls; what `body` returns is summed so
    /// that the work cannot be optimised away.
    private func time(_ body: (Int) throws -> Int) throws -> Double {
        let clock = ContinuousClock()
        var sum = 0
        let start = clock.now
        for index in 0..<count { sum &+= try body(index) }
        let elapsed = clock.now - start
        if sum == Int.min { print("") }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1e9 / Double(count)
    }
}
