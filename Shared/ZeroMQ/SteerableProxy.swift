import CZeroMQ
import Synchronization

/// Message and byte counts of a running proxy, as `zmq_proxy_steerable` reports them.
public struct ProxyStatistics: Sendable, Hashable {
    /// Counts for one side of the proxy.
    public struct Side: Sendable, Hashable {
        /// Messages (not frames) received from this side's peers.
        public var messagesIn: UInt64
        /// Bytes received from this side's peers.
        public var bytesIn: UInt64
        /// Messages sent to this side's peers.
        public var messagesOut: UInt64
        /// Bytes sent to this side's peers.
        public var bytesOut: UInt64
    }

    /// The frontend (for a bus: the XSUB side publishers connect to).
    public var frontend: Side
    /// The backend (for a bus: the XPUB side subscribers connect to).
    public var backend: Side

    init(frames: [[UInt8]]) throws(ZeroMQError) {
        guard frames.count == 8, frames.allSatisfy({ $0.count == 8 }) else {
            throw ZeroMQError(
                .malformedInput,
                "proxy statistics are 8 frames of 8 bytes; got \(frames.map(\.count))",
                operation: "zmq_proxy_steerable(STATISTICS)"
            )
        }
        let values = frames.map { frame in frame.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
        frontend = Side(messagesIn: values[0], bytesIn: values[1], messagesOut: values[2], bytesOut: values[3])
        backend = Side(messagesIn: values[4], bytesIn: values[5], messagesOut: values[6], bytesOut: values[7])
    }
}

/// How to create one socket of a proxy: its type, and what to do with it on the proxy's thread.
public struct ProxySocket: Sendable {
    let type: SocketType
    let setUp: @Sendable (Socket) throws -> Void

    /// A socket of `type`, bound or connected (and given options) by `setUp`.
    public init(_ type: SocketType, setUp: @escaping @Sendable (Socket) throws -> Void) {
        self.type = type
        self.setUp = setUp
    }
}

/// `zmq_proxy_steerable` on a thread of its own, forwarding between a frontend and a backend
/// until ``terminate()``.
///
/// Only the STATISTICS and TERMINATE commands are ever sent: libzmq 4.3.4 aborts the process
/// on an unknown command, and 4.3.5 swapped PAUSE and RESUME.
public final class SteerableProxy: Sendable {
    private let controller: AsyncSocket
    private let finished = Finished()

    /// How the proxy thread ended, and who waits for that.
    private final class Finished: Sendable {
        let state = LockedState<(result: Result<Void, ZeroMQError>?, waiters: [CheckedContinuation<Void, any Error>])>(
            (nil, [])
        )
    }

    private static let instances = Atomic<UInt64>(0)

    /// Creates both sockets on a new thread, runs their set-up there, and starts forwarding.
    public init(context: Context, frontend: ProxySocket, backend: ProxySocket) async throws {
        let finished = self.finished
        let instance = Self.instances.add(1, ordering: .relaxed).newValue
        let controlEndpoint = "inproc://huddle-proxy-control-\(instance)"
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            do {
                try startOwnerThread(name: "zmq-proxy") {
                    let sockets: (frontend: Socket, backend: Socket, control: Socket)
                    do {
                        let front = try Socket(context: context, type: frontend.type)
                        try frontend.setUp(front)
                        let back = try Socket(context: context, type: backend.type)
                        try backend.setUp(back)
                        let control = try Socket(context: context, type: .pair)
                        try control.bind(controlEndpoint)
                        sockets = (front, back, control)
                    } catch {
                        ready.resume(throwing: error)
                        return
                    }
                    ready.resume()
                    let result = Self.forward(sockets.frontend, sockets.backend, control: sockets.control)
                    sockets.frontend.close()
                    sockets.backend.close()
                    sockets.control.close()
                    let waiters = finished.state.withLock { state in
                        state.result = result
                        defer { state.waiters.removeAll() }
                        return state.waiters
                    }
                    for waiter in waiters { waiter.resume(with: result.mapError { $0 }) }
                }
            } catch {
                ready.resume(throwing: error)
            }
        }
        controller = try await AsyncSocket(context: context, type: .pair) { try $0.connect(controlEndpoint) }
    }

    private static func forward(_ frontend: Socket, _ backend: Socket, control: Socket) -> Result<Void, ZeroMQError> {
        do {
            let front = try frontend.open("zmq_proxy_steerable")
            let back = try backend.open("zmq_proxy_steerable")
            let steer = try control.open("zmq_proxy_steerable")
            // zmq_proxy_steerable returns 0 on TERMINATE; a signal interrupts it with EINTR, and
            // restarting is safe because the proxy keeps no state of its own between messages.
            try check("zmq_proxy_steerable") { zmq_proxy_steerable(front, back, nil, steer) }
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// The proxy's message and byte counts so far.
    public func statistics() async throws -> ProxyStatistics {
        try await controller.send(Message(Array("STATISTICS".utf8)))
        return try ProxyStatistics(frames: try await controller.receive().frames)
    }

    /// Stops forwarding and closes both sockets (each with its finite linger); waits until done.
    /// Throws the error that stopped the proxy, if it stopped by itself (e.g. context shutdown).
    public func terminate() async throws {
        if finished.state.withLock({ $0.result == nil }) {
            try? await controller.send(Message(Array("TERMINATE".utf8)))
        }
        try await waitUntilStopped()
        try? await controller.close()
    }

    /// Waits until the proxy has stopped, by ``terminate()`` or because its context shut down.
    public func waitUntilStopped() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result = finished.state.withLock { state -> Result<Void, ZeroMQError>? in
                if state.result == nil { state.waiters.append(continuation) }
                return state.result
            }
            if let result { continuation.resume(with: result.mapError { $0 }) }
        }
    }
}
