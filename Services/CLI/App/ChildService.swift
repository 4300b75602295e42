import Foundation
import ServiceKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One service process started by `huddle up`: its output is forwarded line by line, its last lines are kept,
/// and its exit is reported once, after all its output has been forwarded.
final class ChildService: Sendable {
    let plan: ServicePlan
    let pid: pid_t
    private let state = Mutex(State())

    private struct State {
        var tail = LogTail()
        var reaped = false
    }

    /// The longest line forwarded as one; a longer run of bytes without a newline is cut into pieces.
    static let maximumLineBytes = 64 * 1024

    private init(plan: ServicePlan, pid: pid_t) {
        self.plan = plan
        self.pid = pid
    }

    /// Spawns the service; one thread per child reads its output until the child closes it, then reaps it.
    ///
    /// - Parameters:
    ///   - output: Where the child's lines are forwarded.
    ///   - onExit: Called once, from that thread, after the last line was forwarded.
    static func start(
        plan: ServicePlan,
        output: LogLineWriter,
        onExit: @escaping @Sendable (ServiceName, ChildExit) -> Void
    ) throws(UpError) -> ChildService {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw UpError(description: "cannot create a pipe for \(plan.name.executableName): \(errnoText())")
        }
        // Close-on-exec, so that no other child inherits this pipe and keeps it open after this child is gone
        // (its end-of-output, and so its exit, would then go unnoticed). `pipe2` is not visible from Swift; the
        // gap is harmless because `huddle up` spawns from one task, one child after another.
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let pid: pid_t
        switch ProcessSpawn.spawn(
            path: plan.executablePath,
            arguments: [],
            environment: plan.environment,
            output: .descriptor(descriptors[1]),
            ownProcessGroup: true
        ) {
        case .success(let spawned):
            pid = spawned
        case .failure(let failure):
            close(descriptors[0])
            close(descriptors[1])
            throw UpError(description: "cannot start \(plan.executablePath): \(failure)")
        }
        close(descriptors[1])
        let child = ChildService(plan: plan, pid: pid)
        let reader = descriptors[0]
        let thread = Thread { child.forwardOutputThenReap(from: reader, to: output, onExit: onExit) }
        thread.name = "huddle-up-\(plan.name.rawValue)"
        thread.start()
        return child
    }

    /// Sends `signal` unless the child has already been reaped (its pid may then belong to someone else).
    func send(_ signal: Int32) {
        state.withLock { state in
            if !state.reaped {
                kill(pid, signal)
            }
        }
    }

    /// Whether the child has not been reaped yet.
    var isRunning: Bool { state.withLock { !$0.reaped } }

    /// The last lines the child wrote.
    var recentLines: [String] { state.withLock { $0.tail.lines } }

    private func forwardOutputThenReap(
        from descriptor: Int32,
        to output: LogLineWriter,
        onExit: @Sendable (ServiceName, ChildExit) -> Void
    ) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                for byte in chunk[0..<count] {
                    if byte == UInt8(ascii: "\n") {
                        emit(pending, to: output)
                        pending.removeAll(keepingCapacity: true)
                    } else {
                        pending.append(byte)
                        if pending.count >= Self.maximumLineBytes {
                            emit(pending, to: output)
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        if !pending.isEmpty {
            emit(pending, to: output)
        }
        close(descriptor)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        state.withLock { $0.reaped = true }
        onExit(plan.name, ChildExit(waitStatus: status))
    }

    private func emit(_ bytes: [UInt8], to output: LogLineWriter) {
        let line = String(decoding: bytes, as: UTF8.self)
        state.withLock { $0.tail.append(line) }
        output.writeLine(line)
    }
}

/// The text of the current `errno`.
func errnoText() -> String {
    String(cString: strerror(errno))
}
