import Foundation

/// The Python interpreter (with pyzmq) that runs the peers, and the peer script itself.
enum PythonInterpreter {
    /// The environment variable `scripts/test` sets to its virtualenv's interpreter.
    static let variable = "HUDDLE_PYTHON"

    /// Why the peers cannot run; the tests fail with this text rather than skip.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// `$HUDDLE_PYTHON` when set, else `<package root>/.venv/bin/python`.
    static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        packageRoot: URL = packageRoot
    ) throws(Unavailable) -> URL {
        let howToFix =
            "run scripts/test (it creates .venv with pyzmq and sets \(variable)), or create the virtualenv by hand: "
            + "python3 -m venv .venv && .venv/bin/pip install pyzmq==27.3.0"
        if let configured = environment[variable], !configured.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: configured) else {
                throw Unavailable(description: "\(variable)=\(configured) is not an executable file; \(howToFix)")
            }
            return URL(fileURLWithPath: configured)
        }
        let fallback = packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw Unavailable(
                description: "the interop tests need a Python with pyzmq: \(variable) is not set and "
                    + "\(fallback.path) does not exist; \(howToFix)"
            )
        }
        return fallback
    }

    /// `Peers/peer.py`, copied into the test bundle's resources.
    static func peerScript() throws(Unavailable) -> URL {
        guard let script = Bundle.module.url(forResource: "peer", withExtension: "py", subdirectory: "Peers") else {
            throw Unavailable(description: "Peers/peer.py is missing from \(Bundle.module.bundlePath)")
        }
        return script
    }

    /// The package's root folder, three levels above this file (`Tests/InteropTests/…`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
