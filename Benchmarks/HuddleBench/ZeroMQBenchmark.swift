import Foundation

/// `scripts/bench zmq`: throughput of 256-byte messages over tcp loopback between two processes,
/// through libzmq from C, through the binding's direct API and through its async API, plus
/// bus envelopes end to end. Every round runs every variant once, interleaved, so that noise
/// from this shared machine hits all of them alike; ratios are taken within each round and
/// their median is reported.
struct ZeroMQBenchmark {
    let benchBinary: String
    let cBaseline: String
    let rounds: Int
    let count: Int
    let envelopeCount: Int
    let size = 256

    struct Variant {
        let name: String
        let run: ProcessRun
    }

    func variants(pattern: (send: String, receive: String)) -> [Variant] {
        [
            Variant(
                name: "c",
                run: ProcessRun(
                    receiver: [cBaseline, "recv", pattern.receive, "tcp://127.0.0.1:*", "\(count)", "\(size)"],
                    sender: { [cBaseline, "send", pattern.send, $0, "\(count)", "\(size)"] },
                    handshake: pattern.send == "pub"
                )
            ),
            swiftVariant(api: "direct", pattern: pattern),
            swiftVariant(api: "async", pattern: pattern),
        ]
    }

    func swiftVariant(api: String, pattern: (send: String, receive: String)) -> Variant {
        Variant(
            name: api,
            run: ProcessRun(
                receiver: [benchBinary, "worker", "recv", api, pattern.receive, "-", "\(count)", "\(size)"],
                sender: { [benchBinary, "worker", "send", api, pattern.send, $0, "\(count)", "\(size)"] },
                handshake: pattern.send == "pub"
            )
        )
    }

    func run() throws {
        let patterns = [("push_pull", (send: "push", receive: "pull")), ("pub_sub", (send: "pub", receive: "sub"))]
        var rates: [String: [Double]] = [:]
        for round in 1...rounds {
            for (patternName, pattern) in patterns {
                for variant in variants(pattern: pattern) {
                    rates["\(patternName)_\(variant.name)", default: []].append(try variant.run.rate())
                }
            }
            for codec in ["bus", "foundation"] {
                // Unpinned, as services run: decoding shares the receiver's CPU with libzmq's
                // I/O thread when pinned, which no deployment would do.
                let run = ProcessRun(
                    receiver: [benchBinary, "worker", "envelope-recv", codec, "-", "\(envelopeCount)"],
                    sender: { [benchBinary, "worker", "envelope-send", codec, $0, "\(envelopeCount)"] },
                    pinned: false
                )
                rates["envelope_\(codec)", default: []].append(try run.rate())
            }
            FileHandle.standardError.write(Data("round \(round) of \(rounds) done\n".utf8))
        }
        report(rates)
    }

    func report(_ rates: [String: [Double]]) {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        func ratio(_ subject: String, _ baseline: String) -> Double {
            median(zip(rates[subject]!, rates[baseline]!).map { $0 / $1 })
        }
        let pushDirect = ratio("push_pull_direct", "push_pull_c")
        let pushAsync = ratio("push_pull_async", "push_pull_c")
        let pubDirect = ratio("pub_sub_direct", "pub_sub_c")
        let pubAsync = ratio("pub_sub_async", "pub_sub_c")
        let envelopes = median(rates["envelope_bus"]!)
        let foundation = median(rates["envelope_foundation"]!)

        func cell(_ value: Double) -> String { String(format: "%12.0f", value) }
        func share(_ value: Double) -> String { String(format: "%6.2f", value) }
        print(
            """

            ZeroMQ throughput: \(size)-byte messages, tcp loopback, two processes, \(count) per run,
            median of \(rounds) interleaved rounds (ratios: median of per-round ratios to C),
            \(ProcessRun.pinning == nil ? "unpinned" : "receiver pinned to CPU 0, sender to CPU 1")

            pattern        C msgs/s  Swift direct  ratio   Swift async  ratio
            PUSH/PULL  \(cell(median(rates["push_pull_c"]!)))  \(cell(median(rates["push_pull_direct"]!)))  \(share(pushDirect))  \(cell(median(rates["push_pull_async"]!)))  \(share(pushAsync))
            PUB/SUB    \(cell(median(rates["pub_sub_c"]!)))  \(cell(median(rates["pub_sub_direct"]!)))  \(share(pubDirect))  \(cell(median(rates["pub_sub_async"]!)))  \(share(pubAsync))

            Signal envelopes (\(EnvelopeWorker.encodedSize) bytes of JSON) encode → send → receive → decode
            (PUSH/PULL, \(envelopeCount) per run, unpinned):
              bus codec           \(cell(envelopes)) envelopes/s
              Foundation JSON     \(cell(foundation)) envelopes/s   (bus codec ×\(share(envelopes / foundation)))

            Reproduce: scripts/bench zmq
            """
        )
        let figures: [(String, Double)] = [
            ("push_pull_ratio", pushDirect), ("pub_sub_ratio", pubDirect),
            ("async_ratio", min(pushAsync, pubAsync)),
            ("push_pull_async_ratio", pushAsync), ("pub_sub_async_ratio", pubAsync),
            ("envelopes_per_s", envelopes), ("foundation_envelopes_per_s", foundation),
            ("push_pull_c_msgs_per_s", median(rates["push_pull_c"]!)),
            ("push_pull_direct_msgs_per_s", median(rates["push_pull_direct"]!)),
            ("push_pull_async_msgs_per_s", median(rates["push_pull_async"]!)),
            ("pub_sub_c_msgs_per_s", median(rates["pub_sub_c"]!)),
            ("pub_sub_direct_msgs_per_s", median(rates["pub_sub_direct"]!)),
            ("pub_sub_async_msgs_per_s", median(rates["pub_sub_async"]!)),
            ("envelope_bytes", Double(EnvelopeWorker.encodedSize)),
            ("rounds", Double(rounds)), ("messages_per_run", Double(count)),
        ]
        let json = figures.map { name, value in
            value == value.rounded() && abs(value) < 1e15
                ? "\"\(name)\":\(Int(value))" : "\"\(name)\":\(String(format: "%.3f", value))"
        }
        print("{" + json.joined(separator: ",") + "}")
    }
}
