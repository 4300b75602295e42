import Glibc
import Testing
import ZeroMQ

/// Sockets used directly, on the test's own thread.
@Suite("Socket", .timeLimit(.minutes(1)))
struct SocketTests {
    let context = try! Context()

    /// A connected pair of sockets over an ephemeral TCP port, with a receive time-out so a
    /// broken test fails instead of hanging.
    func pair(_ serverType: SocketType, _ clientType: SocketType) throws -> (server: Socket, client: Socket) {
        let server = try Socket(context: context, type: serverType)
        try server.setOption(.receiveTimeout, .milliseconds(5000))
        try server.bind("tcp://127.0.0.1:*")
        let client = try Socket(context: context, type: clientType)
        try client.setOption(.receiveTimeout, .milliseconds(5000))
        try client.connect(try server.lastEndpoint())
        return (server, client)
    }

    @Test("an ephemeral TCP bind reports the port it got")
    func ephemeralPort() throws {
        let socket = try Socket(context: context, type: .pull)
        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.lastEndpoint()
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = Int(endpoint.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0 && port < 65536)
    }

    @Test("unbind releases an endpoint for another socket; unbinding twice is an error")
    func unbindReleasesEndpoint() throws {
        let first = try Socket(context: context, type: .pull)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try first.lastEndpoint()
        try first.unbind(endpoint)
        // libzmq closes the listener on its I/O thread, shortly after unbind returns.
        let second = try Socket(context: context, type: .pull)
        let deadline = ContinuousClock.now + .seconds(5)
        var bound = false
        while !bound && ContinuousClock.now < deadline {
            do {
                try second.bind(endpoint)
                bound = true
            } catch {
                guard error.errno == EADDRINUSE else { throw error }
                usleep(10_000)
            }
        }
        #expect(bound)
        let error = #expect(throws: ZeroMQError.self) { try first.unbind(endpoint) }
        #expect(error?.errno == ENOENT)
    }

    @Test("PUSH to PULL delivers single and multipart messages in order", arguments: ["tcp", "ipc", "inproc"])
    func pushPull(transport: String) throws {
        let pull = try Socket(context: context, type: .pull)
        try pull.setOption(.receiveTimeout, .milliseconds(5000))
        let ipcPath = "/tmp/huddle-zmq-test-\(getpid())-\(UInt.random(in: 0...UInt.max))"
        // libzmq removes the socket file only when the listener closes, which a test process may
        // not live to see.
        defer { unlink(ipcPath) }
        switch transport {
        case "tcp": try pull.bind("tcp://127.0.0.1:*")
        case "ipc": try pull.bind("ipc://\(ipcPath)")
        default: try pull.bind("inproc://push-pull-\(UInt.random(in: 0...UInt.max))")
        }
        let push = try Socket(context: context, type: .push)
        try push.connect(try pull.lastEndpoint())
        try push.send("one")
        try push.send(Message(strings: ["signal.3f.page-viewed", "{\"seq\":1}"]))
        #expect(try pull.receive() == Message(strings: ["one"]))
        #expect(try pull.receive() == Message(strings: ["signal.3f.page-viewed", "{\"seq\":1}"]))
    }

    @Test("a frame is lent in place without copying, with its more flag")
    func receiveFrameInPlace() throws {
        let (pull, push) = try pair(.pull, .push)
        try push.send(Message(strings: ["topic", "body"]))
        let first = try pull.receiveFrame { bytes, more in (String(decoding: bytes, as: UTF8.self), more) }
        let second = try pull.receiveFrame { bytes, more in (String(decoding: bytes, as: UTF8.self), more) }
        #expect(first?.0 == "topic" && first?.1 == true)
        #expect(second?.0 == "body" && second?.1 == false)
    }

    @Test("with dontWait, an empty queue is 'would block', not an error")
    func wouldBlock() throws {
        let pull = try Socket(context: context, type: .pull)
        try pull.bind("inproc://would-block")
        #expect(try pull.receive(dontWait: true) == nil)
        let push = try Socket(context: context, type: .push)
        // No peer yet: PUSH cannot queue anywhere.
        #expect(try push.send("x", dontWait: true) == false)
    }

    @Test("a message over the frame limit is drained and reported; the next one arrives intact")
    func tooManyFrames() throws {
        let (pull, push) = try pair(.pull, .push)
        pull.receiveLimits = ReceiveLimits(maxFrames: 3, maxBytes: 1 << 20)
        try push.send(Message(frames: Array(repeating: [1, 2, 3], count: 10)))
        try push.send("after")
        let error = #expect(throws: ZeroMQError.self) { try pull.receive() }
        #expect(error?.code == .tooManyFrames)
        #expect(error?.message.contains("10 frames") == true)
        #expect(try pull.receive() == Message(strings: ["after"]))
    }

    @Test("a message over the byte limit is drained and reported; the next one arrives intact")
    func tooManyBytes() throws {
        let (pull, push) = try pair(.pull, .push)
        pull.receiveLimits = ReceiveLimits(maxFrames: 8, maxBytes: 1000)
        try push.send(Message([UInt8](repeating: 7, count: 600), [UInt8](repeating: 8, count: 600)))
        try push.send("after")
        let error = #expect(throws: ZeroMQError.self) { try pull.receive() }
        #expect(error?.code == .messageTooLarge)
        #expect(try pull.receive() == Message(strings: ["after"]))
    }

    @Test("libzmq failures carry errno and libzmq's message")
    func typedErrors() throws {
        let first = try Socket(context: context, type: .pull)
        try first.bind("tcp://127.0.0.1:*")
        let second = try Socket(context: context, type: .pull)
        let inUse = #expect(throws: ZeroMQError.self) { try second.bind(try first.lastEndpoint()) }
        #expect(inUse?.code == .libzmq)
        #expect(inUse?.errno == EADDRINUSE)
        #expect(inUse?.message.isEmpty == false)
        #expect(inUse?.operation.hasPrefix("zmq_bind(tcp://127.0.0.1:") == true)

        let invalid = #expect(throws: ZeroMQError.self) { try second.connect("nonsense://nowhere") }
        #expect(invalid?.errno == EPROTONOSUPPORT)
    }

    @Test("a closed socket refuses every call with socketClosed")
    func closedSocket() throws {
        let socket = try Socket(context: context, type: .push)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        let error = #expect(throws: ZeroMQError.self) { try socket.send("late") }
        #expect(error?.code == .socketClosed)
    }

    @Test("an empty multipart message is refused")
    func emptyMessage() throws {
        let socket = try Socket(context: context, type: .push)
        let error = #expect(throws: ZeroMQError.self) { try socket.send(Message(frames: [])) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("PUB/SUB delivers by topic prefix; unsubscribe stops delivery")
    func publishSubscribe() throws {
        let (subscriber, publisher) = try pair(.subscribe, .publish)
        try subscriber.subscribe("signal.3f")
        // Subscriptions travel to the publisher asynchronously: publish until one arrives.
        var received: Message?
        for _ in 0..<200 where received == nil {
            try publisher.send(Message(strings: ["signal.3f.page-viewed", "hello"]))
            received = try subscriber.receive(dontWait: true)
            if received == nil { usleep(10_000) }
        }
        #expect(received == Message(strings: ["signal.3f.page-viewed", "hello"]))
        try publisher.send(Message(strings: ["signal.40.page-viewed", "other bucket"]))
        try publisher.send(Message(strings: ["signal.3f.form-submitted", "mine"]))
        var next = try subscriber.receive()
        while next == Message(strings: ["signal.3f.page-viewed", "hello"]) { next = try subscriber.receive() }
        #expect(next == Message(strings: ["signal.3f.form-submitted", "mine"]))
    }

    @Test("ROUTER and DEALER address each other by routing id")
    func routerDealer() throws {
        let (router, dealer) = try pair(.router, .dealer)
        _ = router
        try dealer.setOption(.routingID, Array("seller-7".utf8))
        #expect(try dealer.option(.routingID) == Array("seller-7".utf8))
        try dealer.disconnect(try router.lastEndpoint())
        try dealer.connect(try router.lastEndpoint())
        try dealer.send("hello")
        let request = try #require(try router.receive())
        #expect(request.frames == [Array("seller-7".utf8), Array("hello".utf8)])
        try router.send(Message(frames: [request.frames[0], Array("receipt".utf8)]))
        #expect(try dealer.receive() == Message(strings: ["receipt"]))
    }

    @Test("a mandatory ROUTER reports an unknown peer as unreachable")
    func routerMandatory() throws {
        let router = try Socket(context: context, type: .router)
        try router.setOption(.routerMandatory, true)
        let error = #expect(throws: ZeroMQError.self) {
            try router.send(Message(strings: ["nobody", "hello"]))
        }
        #expect(error?.isHostUnreachable == true)
    }

    @Test("REQ/REP and PAIR exchange messages")
    func requestReplyAndPair() throws {
        let (reply, request) = try pair(.reply, .request)
        try request.send("ping")
        #expect(try reply.receive() == Message(strings: ["ping"]))
        try reply.send("pong")
        #expect(try request.receive() == Message(strings: ["pong"]))

        let (left, right) = try pair(.pair, .pair)
        try right.send("over")
        #expect(try left.receive() == Message(strings: ["over"]))
    }

    @Test("an XPUB welcomes each new subscriber")
    func welcomeMessage() throws {
        let publisher = try Socket(context: context, type: .extendedPublish)
        try publisher.setOption(.extendedPublishWelcomeMessage, Array("welcome".utf8))
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try Socket(context: context, type: .subscribe)
        try subscriber.setOption(.receiveTimeout, .milliseconds(5000))
        try subscriber.subscribe("welcome")
        try subscriber.connect(try publisher.lastEndpoint())
        // libzmq attaches the new subscriber when the XPUB's thread next uses it — here by reading
        // the subscription (byte 1, then the prefix), as a proxy does all the time.
        try publisher.setOption(.receiveTimeout, .milliseconds(5000))
        #expect(try publisher.receive() == Message([1] + Array("welcome".utf8)))
        #expect(try subscriber.receive() == Message(strings: ["welcome"]))
    }
}
