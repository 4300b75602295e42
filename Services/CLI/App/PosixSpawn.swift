#if canImport(Glibc)
    import Glibc
#endif

/// Starts a process with `posix_spawn`, its standard output and error sent to one descriptor.
enum PosixSpawn {
    /// Spawns `path` and returns its process id.
    ///
    /// The child gets `/dev/null` as standard input, `output` as standard output and error, no other open
    /// descriptor, an empty signal mask and default signal dispositions (`huddle` itself ignores SIGINT and
    /// SIGTERM while it supervises, and ignored dispositions would otherwise survive `exec`). It runs in a process
    /// group of its own so that Ctrl-C in a terminal reaches only `huddle`, which then stops the children in order.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String: String],
        output: Int32
    ) throws(UpError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        if let closeFrom = addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        )
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
        guard status == 0 else {
            throw UpError(description: "cannot start \(path): \(String(cString: strerror(status)))")
        }
        return pid
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because Swift's Glibc module
/// does not declare it. Every descriptor Huddle opens is close-on-exec already; this also covers descriptors that
/// libraries open without the flag.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = dlsym(
    UnsafeMutableRawPointer(bitPattern: 0),  // RTLD_DEFAULT
    "posix_spawn_file_actions_addclosefrom_np"
)
.map { unsafeBitCast($0, to: AddCloseFrom.self) }
