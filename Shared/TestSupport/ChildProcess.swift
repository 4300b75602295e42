import Foundation
import ServiceKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real process started by a test, with its standard output and error captured in a log file.
///
/// The process is killed (`SIGKILL`) when the last reference goes away, and its log file is deleted then, so no
/// test leaves a stray process behind even when an expectation fails half-way. Print ``logText`` when a test
/// fails so the process's side of the story is in the test output.
package final class ChildProcess: Sendable {
    /// A short name for messages, by default the executable's file name.
    package let name: String
    /// The process id.
    package let pid: Int32
    /// The file that receives the child's standard output and standard error.
    package let logURL: URL
    private let exit = ExitLatch()

    /// Why a process could not be started.
    package struct LaunchFailure: Error, CustomStringConvertible {
        /// What failed, for which executable.
        package let description: String
    }

    /// Starts `executable` now.
    ///
    /// - Parameters:
    ///   - executable: The program to run, e.g. from ``BuiltProducts/executable(_:)``.
    ///   - arguments: Its arguments (not including the program name).
    ///   - environment: Variables to set; they are added to this process's environment unless
    ///     `inheritEnvironment` is false.
    ///   - name: A name for messages; defaults to the executable's file name.
    package init(
        executable: URL,
        arguments: [String] = [],
        environment: [String: String] = [:],
        inheritEnvironment: Bool = true,
        name: String? = nil
    ) throws(LaunchFailure) {
        let name = name ?? executable.lastPathComponent
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-test-logs")
        do {
            try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        } catch {
            throw LaunchFailure(description: "\(name): cannot create \(logDirectory.path): \(error)")
        }
        let logURL = logDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).log")
        var fullEnvironment = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        fullEnvironment.merge(environment) { _, new in new }
        let pid: Int32
        switch ProcessSpawn.spawn(
            path: executable.path,
            arguments: arguments,
            environment: fullEnvironment,
            output: .file(logURL.path)
        ) {
        case .success(let spawned):
            pid = spawned
        case .failure(let failure):
            throw LaunchFailure(description: "\(name): cannot start \(executable.path): \(failure)")
        }
        self.name = name
        self.pid = pid
        self.logURL = logURL
        let exit = self.exit
        // Reaping blocks, so it gets a thread of its own rather than a slot of the concurrency pool.
        let reaper = Thread {
            var waitStatus: Int32 = 0
            while waitpid(pid, &waitStatus, 0) == -1 && errno == EINTR {}
            exit.complete(ExitStatus(waitStatus: waitStatus))
        }
        reaper.name = "reaper-\(name)"
        reaper.start()
    }

    deinit {
        send(signal: SIGKILL)
        try? FileManager.default.removeItem(at: logURL)
    }

    /// Whether the process has not exited yet.
    package var isRunning: Bool { exit.status == nil }

    /// How the process ended, or `nil` while it runs.
    package var exitStatus: ExitStatus? { exit.status }

    /// Waits until the process exits or `timeout` passes; returns its exit status, or `nil` if it still runs.
    package func waitForExit(timeout: Duration) async -> ExitStatus? {
        let exit = self.exit
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await exit.wait() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return exit.status
    }

    /// Sends `SIGTERM`: the polite request to shut down.
    package func terminate() {
        send(signal: SIGTERM)
    }

    /// Sends `SIGINT`, as Ctrl-C in a terminal would.
    package func interrupt() {
        send(signal: SIGINT)
    }

    /// Sends `SIGKILL`.
    package func kill() {
        send(signal: SIGKILL)
    }

    /// Sends `signal` unless the process has already exited.
    package func send(signal: Int32) {
        // Once reaped, the pid may belong to another process; a signal racing the reap hits at worst a zombie.
        guard isRunning else { return }
        deliver(signal, to: pid)
    }

    /// Everything the process has written to standard output and standard error so far.
    package var logText: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? "(no log at \(logURL.path))"
    }

    /// The log, headed by the process's name and state, for printing when a test fails.
    package var report: String {
        let state = exitStatus.map(\.description) ?? "still running"
        return "----- \(name) (pid \(pid), \(state)) -----\n\(logText)\n----- end of \(name) -----"
    }
}

/// `kill(2)`, named apart from ``ChildProcess/kill()``.
private func deliver(_ signal: Int32, to pid: Int32) {
    _ = kill(pid, signal)
}
