import Foundation
import ZeroMQ

/// One side of a throughput run, in its own process: a receiver binds an ephemeral port and
/// prints `{"endpoint": …}`, a sender connects there; the receiver times its first message to
/// its last and prints `{"messages": …, "seconds": …, "rate": …}`.
///
/// Socket options match the C baseline exactly: unlimited high-water marks (so PUB never
/// drops) and a long linger.
enum BenchWorker {
    enum API: String {
        case direct, async
    }

    static func configure(_ socket: Socket) throws {
        try socket.setOption(.sendHighWaterMark, 0)
        try socket.setOption(.receiveHighWaterMark, 0)
        try socket.setOption(.linger, .milliseconds(10_000))
    }

    // MARK: - Direct API

    static func sendDirect(type: SocketType, endpoint: String, count: Int, size: Int) throws {
        let context = try Context()
        let socket = try Socket(context: context, type: type)
        try configure(socket)
        try socket.connect(endpoint)
        if type == .publish { try warmUp { try socket.send([0]) } }
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        payload.initializeMemory(as: UInt8.self, repeating: 0)
        defer { payload.deallocate() }
        let bytes = UnsafeRawBufferPointer(payload)
        for _ in 0..<count { try socket.send(bytes) }
        socket.close()
    }

    static func receiveDirect(type: SocketType, count: Int, size: Int) throws {
        let context = try Context()
        let socket = try Socket(context: context, type: type)
        try configure(socket)
        try socket.setOption(.receiveTimeout, .milliseconds(20_000))
        if type == .subscribe { try socket.subscribe("") }
        try socket.bind("tcp://127.0.0.1:*")
        announce(endpoint: try socket.lastEndpoint())
        var start = ContinuousClock.now
        var index = 0
        var warmUps = WarmUps()
        while index < count {
            guard let received = try socket.receiveFrame({ bytes, _ in bytes.count }) else {
                fail("timed out after \(index) of \(count) messages")
            }
            if warmUps.isWarmUp(size: received) { continue }
            if received != size { fail("received \(received) bytes, expected \(size)") }
            if index == 0 { start = .now }
            index += 1
        }
        report(count: count, since: start)
        socket.close()
    }

    // MARK: - Async API

    static func sendAsync(type: SocketType, endpoint: String, count: Int, size: Int) async throws {
        let context = try Context()
        let socket = try await AsyncSocket(context: context, type: type) { socket in
            try configure(socket)
            try socket.connect(endpoint)
        }
        if type == .publish {
            let warmUp = Message([0])
            while !stdinHasLine() { try await socket.send(warmUp) }
        }
        let message = Message([UInt8](repeating: 0, count: size))
        for _ in 0..<count { try await socket.send(message) }
        try await socket.close(drainTimeout: .seconds(60))
    }

    static func receiveAsync(type: SocketType, count: Int, size: Int) async throws {
        let context = try Context()
        let socket = try await AsyncSocket(context: context, type: type) { socket in
            try configure(socket)
            if type == .subscribe { try socket.subscribe("") }
            try socket.bind("tcp://127.0.0.1:*")
        }
        announce(endpoint: try await socket.perform { try $0.lastEndpoint() })
        var start = ContinuousClock.now
        var received = 0
        var warmUps = WarmUps()
        for try await message in socket.messages {
            if warmUps.isWarmUp(size: message.frames[0].count) { continue }
            if received == 0 { start = .now }
            if message.frames[0].count != size { fail("received \(message.frames[0].count) bytes, expected \(size)") }
            received += 1
            if received == count { break }
        }
        report(count: count, since: start)
        try await socket.close()
    }

    // MARK: - The PUB/SUB slow-joiner handshake

    /// PUB drops everything sent before the subscriber's subscription arrives, so a publisher
    /// sends 1-byte warm-ups until the coordinator — told by the receiver that they arrive —
    /// writes a line to the publisher's standard input.
    static func warmUp(_ send: () throws -> Void) throws {
        while !stdinHasLine() { try send() }
    }

    /// Whether standard input became readable within a millisecond.
    static func stdinHasLine() -> Bool {
        var input = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&input, 1, 1) > 0
    }

    /// Skips warm-ups, announcing the first one so the coordinator can start the real run.
    struct WarmUps {
        private var announced = false

        mutating func isWarmUp(size: Int) -> Bool {
            guard size == 1 else { return false }
            if !announced { emit("{\"subscribed\":true}") }
            announced = true
            return true
        }
    }

    // MARK: - Reporting

    static func announce(endpoint: String) {
        emit("{\"endpoint\":\"\(endpoint)\"}")
    }

    static func report(count: Int, since start: ContinuousClock.Instant) {
        let seconds = (ContinuousClock.now - start).seconds
        emit("{\"messages\":\(count),\"seconds\":\(seconds),\"rate\":\(Double(count - 1) / seconds)}")
    }

    /// Writes one line to standard output at once (unbuffered: the coordinator waits for it).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("huddle-bench: \(message)\n".utf8))
        exit(1)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
