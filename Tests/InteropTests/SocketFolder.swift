import Foundation
import Testing

/// Gives each test a temporary folder for its ipc socket files and removes it when the test
/// ends: libzmq leaves the socket file of an ipc endpoint behind, even after unbind and close.
///
/// ``Transport/bindEndpoint()`` places ipc endpoints in ``current``.
struct SocketFolder: TestTrait, SuiteTrait, TestScoping {
    /// The running test's folder; `nil` outside a test that has the trait.
    @TaskLocal static var current: URL?

    var isRecursive: Bool { true }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("huddle-interop-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.$current.withValue(folder) {
            try await function()
        }
    }
}

extension Trait where Self == SocketFolder {
    /// A temporary folder per test for ipc socket files, removed afterwards.
    static var socketFolder: Self { Self() }
}
