import Logging
import Synchronization

/// One database connection that callers take turns on, first come first served.
///
/// A transaction needs the same connection from `BEGIN` to `COMMIT` and nobody else's statements in
/// between; the slot guarantees that by lending the connection to one caller at a time. A
/// connection that died is replaced on the next turn.
final class ConnectionSlot: Sendable {
    private struct State {
        var connection: OpenConnection?
        var busy = false
        var closed = false
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let location: DatabaseLocation
    private let logger: Logger
    private let state = Mutex(State())

    init(location: DatabaseLocation, connection: OpenConnection, logger: Logger) {
        self.location = location
        self.logger = logger
        state.withLock { $0.connection = connection }
    }

    /// Runs `body` with the connection, after everyone who asked before.
    func withConnection<T: Sendable>(_ body: (OpenConnection) async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        var (connection, closed) = state.withLock { ($0.connection, $0.closed) }
        if closed { throw StorageError.closed }
        if connection == nil || connection!.isClosed() {
            logger.warning("database connection lost; reconnecting", metadata: ["database": "\(location)"])
            let fresh = try await OpenConnection.open(location, logger: logger)
            state.withLock { $0.connection = fresh }
            connection = fresh
        }
        // On an SQLite connection's own thread, so that statements and the code between them do
        // not hand over between threads (see `ConnectionThread`).
        return try await withTaskExecutorPreference(connection!.thread) { try await body(connection!) }
    }

    /// Runs `body` preferring the connection's thread, when it has one (SQLite).
    func nearConnection<T>(_ body: () async throws -> T) async rethrows -> T {
        let thread = state.withLock { $0.connection?.thread }
        return try await withTaskExecutorPreference(thread) { try await body() }
    }

    /// Closes the connection once the current user is done; later calls fail with `.closed`.
    func close() async {
        let connection: OpenConnection? = try? await withConnection { connection in
            state.withLock { state in
                state.closed = true
                state.connection = nil
            }
            return connection
        }
        await connection?.close()
    }

    private func acquire() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let granted: Result<Void, StorageError>? = state.withLock { state in
                if state.closed { return .failure(.closed) }
                if state.busy {
                    state.waiters.append(continuation)
                    return nil
                }
                state.busy = true
                return .success(())
            }
            if let granted { continuation.resume(with: granted) }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
