import Foundation

/// Runs one receiver process and one sender process and returns the rate the receiver measured.
///
/// The receiver prints its bound endpoint first, the sender is then started against it, and the
/// receiver's last line carries the rate. Both are killed if the run exceeds `limit`.
struct ProcessRun {
    let receiver: [String]
    let sender: (_ endpoint: String) -> [String]
    /// PUB/SUB: relay the receiver's "subscribed" line to the sender's standard input.
    var handshake = false
    /// Pin receiver and sender to their own CPUs (see ``pinning``).
    var pinned = true
    var limit: Duration = .seconds(120)

    /// `taskset`, when the machine has it and at least two CPUs: the receiver then runs on CPU 0
    /// and the sender on CPU 1, for every variant alike. Unpinned, the scheduler's placement of
    /// four busy threads on two cores swings single runs by ±40 %.
    static let pinning: String? = {
        let path = "/usr/bin/taskset"
        return ProcessInfo.processInfo.activeProcessorCount >= 2 && FileManager.default.isExecutableFile(atPath: path)
            ? path : nil
    }()

    private func process(_ command: [String], cpu: Int) -> Process {
        let process = Process()
        if pinned, let taskset = Self.pinning {
            process.executableURL = URL(fileURLWithPath: taskset)
            process.arguments = ["-c", "\(cpu)"] + command
        } else {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        }
        return process
    }

    func rate() throws -> Double {
        let receiverProcess = process(receiver, cpu: 0)
        let output = Pipe()
        receiverProcess.standardOutput = output
        try receiverProcess.run()
        let lines = LineReader(handle: output.fileHandleForReading)

        let watchdog = DispatchWorkItem { receiverProcess.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit.seconds, execute: watchdog)
        defer { watchdog.cancel() }

        guard let ready = lines.next(), let endpoint = try field("endpoint", in: ready) as? String else {
            throw BenchError("the receiver \(receiver) did not announce its endpoint")
        }
        let senderArguments = sender(endpoint)
        let senderProcess = process(senderArguments, cpu: 1)
        let senderInput = Pipe()
        senderProcess.standardInput = senderInput
        try senderProcess.run()
        if handshake {
            guard let subscribed = lines.next(), try field("subscribed", in: subscribed) as? Bool == true else {
                throw BenchError("the receiver \(receiver) did not report its subscription")
            }
            senderInput.fileHandleForWriting.write(Data("go\n".utf8))
        }
        senderProcess.waitUntilExit()
        guard senderProcess.terminationStatus == 0 else {
            receiverProcess.terminate()
            throw BenchError("the sender \(senderArguments) exited with \(senderProcess.terminationStatus)")
        }
        let result = lines.next()
        receiverProcess.waitUntilExit()
        guard receiverProcess.terminationStatus == 0, let result, let rate = try field("rate", in: result) as? Double
        else {
            throw BenchError("the receiver \(receiver) exited with \(receiverProcess.terminationStatus)")
        }
        return rate
    }

    private func field(_ name: String, in line: String) throws -> Any? {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?[name]
    }
}

/// Reads a pipe line by line.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(handle: FileHandle) {
        self.handle = handle
    }

    /// The next line without its newline, or `nil` at end of file.
    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

/// A benchmark that could not measure what it was asked to.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
