#if canImport(Glibc)
    import Glibc
#endif

/// How a child process ended.
enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    /// Decodes a `waitpid` status (the C macros `WIFEXITED` and friends are not visible from Swift).
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signaled(signal)
    }

    var description: String {
        switch self {
        case .exited(let status):
            return "exited with status \(status)"
        case .signaled(let signal):
            let name = strsignal(signal).map { String(cString: $0) } ?? "unknown"
            return "was ended by signal \(signal) (\(name))"
        }
    }
}
