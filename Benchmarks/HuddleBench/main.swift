import Foundation
import ZeroMQ

// `huddle-bench zmq [--rounds N] [--count N] [--envelopes N] --c-baseline PATH` runs the ZeroMQ
// benchmark; `huddle-bench worker …` is one side of a run, started by the benchmark itself;
// `huddle-bench codec [--rounds N] [--count N]` runs the codec benchmark.
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: String? = nil) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

do {
    switch arguments.first {
    case "zmq":
        guard let cBaseline = option("--c-baseline") else { throw BenchError("--c-baseline PATH is required") }
        try ZeroMQBenchmark(
            benchBinary: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
            cBaseline: cBaseline,
            rounds: Int(option("--rounds", default: "7")!)!,
            count: Int(option("--count", default: "1000000")!)!,
            envelopeCount: Int(option("--envelopes", default: "200000")!)!
        ).run()
    case "codec":
        try CodecBenchmark(
            rounds: Int(option("--rounds", default: "7")!)!,
            count: Int(option("--count", default: "200000")!)!
        ).run()
    case "worker":
        try await runWorker(Array(arguments.dropFirst()))
    default:
        throw BenchError(
            "usage: huddle-bench zmq --c-baseline PATH [--rounds N] [--count N] [--envelopes N]"
                + " | huddle-bench codec [--rounds N] [--count N]"
        )
    }
} catch {
    FileHandle.standardError.write(Data("huddle-bench: \(error)\n".utf8))
    exit(1)
}

func runWorker(_ arguments: [String]) async throws {
    switch (arguments.first, arguments.count) {
    case ("envelope-send", 4):
        try EnvelopeWorker.send(codec: try codec(arguments[1]), endpoint: arguments[2], count: Int(arguments[3])!)
    case ("envelope-recv", 4):
        try EnvelopeWorker.receive(codec: try codec(arguments[1]), count: Int(arguments[3])!)
    case ("send", 6), ("recv", 6):
        let api = arguments[1]
        let type = try socketType(arguments[2])
        let (endpoint, count, size) = (arguments[3], Int(arguments[4])!, Int(arguments[5])!)
        switch (arguments[0], api) {
        case ("send", "direct"): try BenchWorker.sendDirect(type: type, endpoint: endpoint, count: count, size: size)
        case ("recv", "direct"): try BenchWorker.receiveDirect(type: type, count: count, size: size)
        case ("send", "async"):
            try await BenchWorker.sendAsync(type: type, endpoint: endpoint, count: count, size: size)
        case ("recv", "async"): try await BenchWorker.receiveAsync(type: type, count: count, size: size)
        default: throw BenchError("unknown API \(api)")
        }
    default:
        throw BenchError("unknown worker arguments \(arguments)")
    }
}

func codec(_ name: String) throws -> EnvelopeWorker.Codec {
    guard let codec = EnvelopeWorker.Codec(rawValue: name) else { throw BenchError("unknown codec \(name)") }
    return codec
}

func socketType(_ name: String) throws -> ZeroMQ.SocketType {
    switch name {
    case "push": .push
    case "pull": .pull
    case "pub": .publish
    case "sub": .subscribe
    default: throw BenchError("unknown pattern \(name)")
    }
}
