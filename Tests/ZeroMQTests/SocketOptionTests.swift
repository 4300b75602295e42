import Glibc
import Testing
import ZeroMQ

@Suite("Socket options", .timeLimit(.minutes(1)))
struct SocketOptionTests {
    let context = try! Context()

    @Test("sockets start with a finite linger")
    func finiteLinger() throws {
        let socket = try Socket(context: context, type: .push)
        #expect(try socket.option(.linger) == .milliseconds(1000))
    }

    @Test("integer options read back what was set")
    func integerOptions() throws {
        let socket = try Socket(context: context, type: .dealer)
        let options: [SocketOption<Int32>] = [
            .sendHighWaterMark, .receiveHighWaterMark, .reconnectInterval, .reconnectIntervalMax,
            .heartbeatInterval, .heartbeatTimeout, .tcpKeepAliveIdle, .tcpKeepAliveInterval, .tcpKeepAliveCount,
        ]
        for (index, option) in options.enumerated() {
            let value = Int32(100 + index)
            try socket.setOption(option, value)
            #expect(try socket.option(option) == value)
        }
        try socket.setOption(.tcpKeepAlive, 1)
        #expect(try socket.option(.tcpKeepAlive) == 1)
    }

    @Test("time-outs, sizes and flags read back what was set")
    func otherOptions() throws {
        let socket = try Socket(context: context, type: .router)
        try socket.setOption(.sendTimeout, .milliseconds(250))
        try socket.setOption(.receiveTimeout, .infinite)
        try socket.setOption(.linger, .after(.milliseconds(1500)))
        try socket.setOption(.maximumMessageSize, 16 << 20)
        try socket.setOption(.immediate, true)
        try socket.setOption(.routerMandatory, true)
        try socket.setOption(.zapDomain, "huddle")
        #expect(try socket.option(.sendTimeout) == .milliseconds(250))
        #expect(try socket.option(.receiveTimeout) == .infinite)
        #expect(try socket.option(.linger) == .milliseconds(1500))
        #expect(try socket.option(.maximumMessageSize) == 16 << 20)
        #expect(try socket.option(.immediate))
        #expect(try socket.option(.zapDomain) == "huddle")
    }

    @Test("an option the socket type does not support is a typed error, not a crash")
    func unsupportedOption() throws {
        let socket = try Socket(context: context, type: .pull)
        let error = #expect(throws: ZeroMQError.self) { try socket.setOption(.extendedPublishNoDrop, true) }
        #expect(error?.errno == EINVAL)
        #expect(error?.operation == "zmq_setsockopt(ZMQ_XPUB_NODROP)")
    }

    @Test("CURVE keys are set and read back as Z85 text")
    func curveKeys() throws {
        let keys = try CurveKeyPair.generate()
        let socket = try Socket(context: context, type: .router)
        try socket.setOption(.curveServer, true)
        try socket.setOption(.curveSecretKey, keys.secretKey)
        #expect(try socket.option(.curveServer))
        #expect(try socket.option(.curveSecretKey) == keys.secretKey)
    }
}
