import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `Peers/peer.py` running as a separate process: the pyzmq side of an interop test.
///
/// The test reads the peer's JSON lines as they come (``next(timeout:)``), may write lines to
/// its standard input (``tell(_:)``), and finally waits for it to exit (``finish(timeout:)``).
/// Failures carry ``report``: the command, the exit status and everything the peer printed.
/// A peer still running when the last reference goes away is killed.
final class PythonPeer: Sendable {
    /// How long the peer itself waits before it gives up (its `--timeout`).
    static let peerTimeout: Duration = .seconds(10)

    /// The peer's command line after the script, for reports.
    let arguments: [String]
    private let process: Process
    private let transcript = PeerTranscript()
    // The test's end of a socket pair that is the peer's standard input. A socket rather than a
    // pipe so that writing to a peer that already exited fails with EPIPE instead of raising
    // SIGPIPE in the test runner (send with MSG_NOSIGNAL).
    private let control: Int32

    /// Starts `peer.py <arguments>`.
    ///
    /// - Throws: ``PythonInterpreter/Unavailable`` when there is no interpreter or script, or the
    ///   launch error.
    init(_ arguments: String...) throws {
        let python = try PythonInterpreter.locate()
        let script = try PythonInterpreter.peerScript()
        let seconds = Self.peerTimeout.components.seconds
        self.arguments = arguments

        var descriptors: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &descriptors) == 0
        else {
            throw PeerFailure(description: "socketpair: \(String(cString: strerror(errno)))")
        }
        control = descriptors[0]
        let peerInput = FileHandle(fileDescriptor: descriptors[1], closeOnDealloc: true)

        let output = Pipe()
        let errors = Pipe()
        process = Process()
        process.executableURL = python
        // -u: unbuffered, so every JSON line reaches the test the moment it is printed.
        process.arguments = ["-u", script.path, "--timeout", "\(seconds)"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
        process.standardInput = peerInput
        process.standardOutput = output
        process.standardError = errors
        let transcript = self.transcript
        process.terminationHandler = { process in
            let status = process.terminationStatus
            transcript.recordExit(process.terminationReason == .exit ? .exited(status) : .signaled(status))
        }
        do {
            try process.run()
        } catch {
            _ = close(control)
            throw PeerFailure(description: "cannot start \(python.path) \(script.path): \(error)")
        }
        try? peerInput.close()
        Self.read(
            output.fileHandleForReading,
            name: "peer-stdout",
            deliver: transcript.appendLine,
            atEnd: transcript.closeOutput
        )
        Self.read(
            errors.fileHandleForReading,
            name: "peer-stderr",
            splittingLines: false,
            deliver: transcript.appendError,
            atEnd: transcript.closeError
        )
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        _ = close(control)
    }

    // MARK: - Talking to the peer

    /// The next event the peer printed, waiting at most `timeout` for it.
    /// - Throws: ``PeerFailure`` (with the report) when none comes in time or the peer has ended.
    func next(timeout: Duration = .seconds(10)) async throws -> PeerEvent {
        guard let event = try await next(within: timeout) else {
            throw PeerFailure(description: "no event from the peer within \(timeout)\n\(report)")
        }
        return event
    }

    /// The next event the peer printed, or `nil` if none comes within `limit`.
    /// - Throws: ``PeerFailure`` when the peer has ended, or printed a line that is not an event.
    func next(within limit: Duration) async throws -> PeerEvent? {
        switch await transcript.nextLine(until: .now + limit) {
        case .line(let line):
            return try decode(line)
        case .ended:
            // Let the exit status and the last of standard error into the report.
            _ = await transcript.exit(until: .now + .seconds(2))
            throw PeerFailure(description: "the peer ended while an event was awaited\n\(report)")
        case .timedOut:
            return nil
        }
    }

    /// Writes `line` and a newline to the peer's standard input.
    func tell(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        let sent = bytes.withUnsafeBytes { send(control, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else {
            throw PeerFailure(description: "cannot write to the peer: \(String(cString: strerror(errno)))\n\(report)")
        }
    }

    /// Waits for the peer to exit and returns the events it printed that were not read yet
    /// (without its final `done`).
    /// - Throws: ``PeerFailure`` when the peer does not exit within `timeout` (it is killed
    ///   then), or exits with anything but status 0.
    func finish(timeout: Duration = .seconds(15)) async throws -> [PeerEvent] {
        guard let exit = await transcript.exit(until: .now + timeout) else {
            kill(process.processIdentifier, SIGKILL)
            throw PeerFailure(description: "the peer did not exit within \(timeout); killed it\n\(report)")
        }
        guard exit == .exited(0) else {
            throw PeerFailure(description: "the peer failed\n\(report)")
        }
        return try transcript.takeRemainingLines().map(decode).filter { $0.event != "done" }
    }

    /// Runs `body`, adding ``report`` to any error it throws that does not carry it yet.
    func explainingFailures<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let failure as PeerFailure {
            throw failure
        } catch {
            throw PeerFailure(description: "\(error)\n\(report)")
        }
    }

    /// The command, how the peer ended, and everything it printed: for failure messages.
    var report: String {
        let (output, error) = transcript.text
        let state = transcript.exit?.description ?? "still running"
        // --messages carries whole messages in hex; the start is enough to recognise them.
        let command = arguments.map { $0.count > 60 ? $0.prefix(60) + "…" : $0 }.joined(separator: " ")
        return """
            ----- pyzmq peer: peer.py \(command) (pid \(process.processIdentifier), \(state)) -----
            stdout:
            \(output.joined(separator: "\n"))
            stderr:
            \(error)
            ----- end of pyzmq peer -----
            """
    }

    private func decode(_ line: String) throws -> PeerEvent {
        do {
            return try JSONDecoder().decode(PeerEvent.self, from: Data(line.utf8))
        } catch {
            throw PeerFailure(description: "the peer printed a line that is not an event: \(line)\n\(report)")
        }
    }

    // MARK: - Reading the peer's output

    /// Reads `handle` to its end on a thread of its own (reads block), handing on whole lines,
    /// or whatever text arrives when `splittingLines` is false.
    private static func read(
        _ handle: FileHandle,
        name: String,
        splittingLines: Bool = true,
        deliver: @escaping @Sendable (String) -> Void,
        atEnd: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                // read(2) returns what has arrived so far; FileHandle's reads wait for a full buffer.
                let count = buffer.withUnsafeMutableBytes {
                    Glibc.read(handle.fileDescriptor, $0.baseAddress, $0.count)
                }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                pending += buffer[..<count]
                guard splittingLines else {
                    deliver(String(decoding: pending, as: UTF8.self))
                    pending.removeAll()
                    continue
                }
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    deliver(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty {
                deliver(String(decoding: pending, as: UTF8.self))
            }
            atEnd()
        }
        thread.name = name
        thread.start()
    }
}

/// A peer that failed, did not answer in time, or could not be started; the description
/// includes the peer's report.
struct PeerFailure: Error, CustomStringConvertible {
    let description: String
}
