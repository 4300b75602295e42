#if canImport(Glibc)
    import Glibc
#endif

/// Finds the directory that holds the service executables.
enum ExecutableDirectory {
    /// The environment variable that overrides the default directory.
    static let overrideVariable = "HUDDLE_BIN_DIR"

    /// `option` if given, else `HUDDLE_BIN_DIR` if set, else the directory of the running `huddle` executable —
    /// where SwiftPM puts all of the package's products side by side.
    static func resolve(option: String?, environment: [String: String]) throws(UpError) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[overrideVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        guard let executable = runningExecutablePath() else {
            throw UpError(
                description: "cannot tell where huddle itself is installed; pass --bin-dir or set \(overrideVariable)"
            )
        }
        return parentDirectory(of: executable)
    }

    /// The resolved path of this process's executable (`/proc/self/exe`).
    static func runningExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
