import Foundation
import Testing

/// The transports the interop tests run over.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case tcp, ipc

    /// A fresh endpoint to bind: an ephemeral loopback port (read the real one back after
    /// binding), or a new socket file in the test's ``SocketFolder``.
    ///
    /// Call it on the test's task (not inside an `AsyncSocket` set-up closure, which runs on the
    /// socket's own thread), so that it finds the folder.
    func bindEndpoint() -> String {
        switch self {
        case .tcp:
            return "tcp://127.0.0.1:*"
        case .ipc:
            let folder = SocketFolder.current ?? FileManager.default.temporaryDirectory
            return "ipc://" + folder.appendingPathComponent("\(UUID().uuidString.prefix(8)).ipc").path
        }
    }

    var testDescription: String { rawValue }
}
