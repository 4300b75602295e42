import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the executables SwiftPM built, so that tests can run them as real processes.
///
/// Under `swift test` the test runner lives in the same directory as the package's executables (e.g.
/// `.build/debug/`), so that directory is the default. Set `HUDDLE_BIN_DIR` to use executables from elsewhere.
package enum BuiltProducts {
    /// The environment variable that overrides where executables are looked for.
    package static let overrideVariable = "HUDDLE_BIN_DIR"

    /// Why an executable cannot be used.
    package struct Missing: Error, CustomStringConvertible {
        /// Which executable, where it was looked for, and how to fix it.
        package let description: String
    }

    /// `HUDDLE_BIN_DIR` if set, else the directory of the running test executable (`/proc/self/exe`).
    package static func directory() throws(Missing) -> URL {
        if let override = ProcessInfo.processInfo.environment[overrideVariable], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else {
            throw Missing(description: "cannot read /proc/self/exe; set \(overrideVariable) to the build directory")
        }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    /// The executable called `name` (e.g. `huddle-accounts`) in ``directory()``.
    /// - Throws: ``Missing`` when it does not exist or is not executable, naming the directory searched.
    package static func executable(_ name: String) throws(Missing) -> URL {
        let url = try directory().appendingPathComponent(name)
        guard access(url.path, X_OK) == 0 else {
            throw Missing(
                description: "\(name) not found or not executable in \(url.deletingLastPathComponent().path); "
                    + "build it (`swift build --product \(name)`) or set \(overrideVariable)"
            )
        }
        return url
    }
}
