#if canImport(Glibc)
    import Glibc
#endif

/// Starts a process with `posix_spawn`: what `huddle up` starts its services with, and what tests
/// start Huddle's executables with.
///
/// The child gets `/dev/null` as standard input, standard output and error as `output` says, no
/// other open descriptor, an empty signal mask and default signal dispositions (a supervisor that
/// ignores SIGINT or SIGTERM would otherwise pass that on through `exec`).
package enum ProcessSpawn {
    /// Where the child's standard output and error go.
    package enum Output {
        /// Both go to this open descriptor (e.g. the write end of a pipe).
        case descriptor(Int32)
        /// Both are appended to the file at this path, created or truncated first.
        case file(String)
    }

    /// Why a process could not be started: `errno` and its text.
    package struct Failure: Error, CustomStringConvertible {
        /// The `errno` value `posix_spawn` returned.
        package let code: Int32
        package var description: String { String(cString: strerror(code)) }
    }

    /// Spawns `path` with `arguments` and exactly `environment`, and returns its process id.
    /// - Parameter ownProcessGroup: start a process group of its own, so that a terminal's Ctrl-C
    ///   reaches only the supervisor, which then stops its children in order.
    package static func spawn(
        path: String,
        arguments: [String],
        environment: [String: String],
        output: Output,
        ownProcessGroup: Bool = false
    ) -> Result<pid_t, Failure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .descriptor(let descriptor):
            posix_spawn_file_actions_adddup2(&actions, descriptor, 1)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let groupFlag = ownProcessGroup ? POSIX_SPAWN_SETPGROUP : 0
        posix_spawnattr_setflags(&attributes, Int16(groupFlag | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
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
        return status == 0 ? .success(pid) : .failure(Failure(code: status))
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because Swift's
/// Glibc module does not declare it. Huddle opens its descriptors close-on-exec; this also covers
/// descriptors that libraries (or a test runner) open without the flag.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = dlsym(
    UnsafeMutableRawPointer(bitPattern: 0),  // RTLD_DEFAULT
    "posix_spawn_file_actions_addclosefrom_np"
)
.map { unsafeBitCast($0, to: AddCloseFrom.self) }
