#if canImport(Glibc)
    import Glibc
#endif

/// `posix_spawn` with standard output and error appended to a log file.
enum ProcessLauncher {
    /// An `errno` value with its text.
    struct Code: Error {
        let value: Int32
        var text: String { String(cString: strerror(value)) }
    }

    /// Spawns `path` with standard input from `/dev/null`, output and error into `logPath`, no other open
    /// descriptors, an empty signal mask and default signal handling.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String: String],
        logPath: String
    ) -> Result<Int32, Code> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner's threads may block or ignore signals; the child must start with a clean slate so that
        // SIGTERM and SIGINT reach its own handlers.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp {
                free(pointer)
            }
        }
        var pid = pid_t()
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return status == 0 ? .success(pid) : .failure(Code(value: status))
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because Swift's Glibc module
/// does not declare it; without it a child could inherit descriptors the test runner opened without close-on-exec.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = dlsym(
    UnsafeMutableRawPointer(bitPattern: 0),  // RTLD_DEFAULT
    "posix_spawn_file_actions_addclosefrom_np"
)
.map { unsafeBitCast($0, to: AddCloseFrom.self) }
