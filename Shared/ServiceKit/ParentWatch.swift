import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Returns once this process's parent is no longer `parentProcessID`, so the service group shuts down.
///
/// `huddle up` sets `HUDDLE_PARENT_PID` on its children: if `huddle` dies without stopping them (even by
/// `SIGKILL`), the kernel re-parents them and this watch notices within ``pollInterval``. Polling `getppid()` is
/// used rather than `PR_SET_PDEATHSIG`, because that signal follows the parent *thread*, and the thread that
/// spawned a child in a Swift program can come and go while the parent lives on.
struct ParentWatch: Service {
    let parentProcessID: Int32
    let logger: Logger
    var pollInterval: Duration = .milliseconds(250)

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if getppid() != parentProcessID {
                    logger.notice(
                        "parent process is gone; shutting down",
                        metadata: ["parentPID": "\(parentProcessID)"]
                    )
                    return
                }
                try? await Task.sleep(for: pollInterval)
            }
        }
    }
}
