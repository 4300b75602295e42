import Testing
import ZeroMQ

@Suite("Poller and monitor", .timeLimit(.minutes(1)))
struct PollerAndMonitorTests {
    let context = try! Context()

    @Test("poll times out with nothing ready, then reports the readable socket")
    func pollReadiness() throws {
        let first = try Socket(context: context, type: .pull)
        try first.bind("inproc://poll-first")
        let second = try Socket(context: context, type: .pull)
        try second.bind("inproc://poll-second")
        var poller = Poller()
        let firstIndex = try poller.add(first, events: .readable)
        let secondIndex = try poller.add(second, events: .readable)
        #expect(try poller.poll(timeout: .milliseconds(20)) == 0)

        let push = try Socket(context: context, type: .push)
        try push.connect("inproc://poll-second")
        try push.send("wake")
        #expect(try poller.poll(timeout: .milliseconds(5000)) == 1)
        #expect(poller.readyEvents(at: firstIndex).isEmpty)
        #expect(poller.readyEvents(at: secondIndex).contains(.readable))
    }

    @Test("a monitor reports listening, accepted and connected events with their endpoints")
    func monitorEvents() throws {
        let server = try Socket(context: context, type: .pull)
        let serverEvents = try server.monitor(events: [.listening, .accepted])
        try serverEvents.socket.setOption(.receiveTimeout, .milliseconds(5000))
        try server.bind("tcp://127.0.0.1:*")
        let endpoint = try server.lastEndpoint()

        let listening = try #require(try serverEvents.nextEvent())
        #expect(listening.kind == .listening)
        #expect(listening.endpoint == endpoint)

        let client = try Socket(context: context, type: .push)
        let clientEvents = try client.monitor(events: .connected)
        try clientEvents.socket.setOption(.receiveTimeout, .milliseconds(5000))
        try client.connect(endpoint)
        #expect(try clientEvents.nextEvent()?.kind == .connected)
        #expect(try serverEvents.nextEvent()?.kind == .accepted)
    }
}

@Suite("CURVE and ZAP", .timeLimit(.minutes(1)))
struct CurveTests {
    @Test("generated key pairs are 40 characters of Z85 and the public key derives from the secret")
    func keyPairs() throws {
        let keys = try CurveKeyPair.generate()
        #expect(keys.publicKey.utf8.count == 40)
        #expect(keys.secretKey.utf8.count == 40)
        #expect(try CurveKeyPair(secretKey: keys.secretKey) == keys)
        #expect(try CurveKeyPair.generate() != keys)
    }

    @Test("Z85 round-trips bytes and rejects malformed text", arguments: ["", "abcd", "abcd~", "ABCD\u{e9}"])
    func z85(text: String) throws {
        let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(Z85.encode(bytes) == "HelloWorld")
        #expect(Z85.decode("HelloWorld") == bytes)
        if text.isEmpty {
            #expect(Z85.decode(text) == [])
        } else {
            #expect(Z85.decode(text) == nil)
        }
        #expect(throws: ZeroMQError.self) { try CurveKeyPair(secretKey: "too short") }
    }

    /// A CURVE server (with the handler admitting `allowed`) and a client using `clientKeys`:
    /// the handshake's outcome as the server's monitor reports it, and whether the message arrived.
    func handshake(
        clientKeys: CurveKeyPair,
        allowed: Set<String>
    ) async throws -> (outcome: MonitorEvent.Kind, delivered: Bool, zap: ZAPHandler) {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let zap = try await ZAPHandler(context: context, allowedClientKeys: allowed)
        // Blocking socket calls run on a thread of their own: on the cooperative pool they could
        // starve the handler's task of the threads it needs to answer.
        let (outcome, delivered) = try await onOwnThread {
            let server = try Socket(context: context, type: .pull)
            try server.setOption(.curveServer, true)
            try server.setOption(.curveSecretKey, serverKeys.secretKey)
            try server.setOption(.receiveTimeout, .milliseconds(10_000))
            let events = try server.monitor(events: [.handshakeSucceeded, .handshakeFailedAuthentication])
            try events.socket.setOption(.receiveTimeout, .milliseconds(10_000))
            try server.bind("tcp://127.0.0.1:*")
            let client = try Socket(context: context, type: .push)
            try client.setOption(.curveServerKey, serverKeys.publicKey)
            try client.setOption(.curvePublicKey, clientKeys.publicKey)
            try client.setOption(.curveSecretKey, clientKeys.secretKey)
            try client.setOption(.linger, .milliseconds(0))
            try client.connect(try server.lastEndpoint())
            try client.send("secret")
            let outcome = try #require(try events.nextEvent()).kind
            let delivered =
                outcome == .handshakeSucceeded
                ? try server.receive() == Message(strings: ["secret"])
                : try server.receive(dontWait: true) != nil
            return (outcome, delivered)
        }
        await zap.close()
        return (outcome, delivered, zap)
    }

    @Test("a CURVE client on the allow-list is admitted")
    func allowedClient() async throws {
        let keys = try CurveKeyPair.generate()
        let result = try await handshake(clientKeys: keys, allowed: [keys.publicKey])
        #expect(result.outcome == .handshakeSucceeded)
        #expect(result.delivered)
        #expect(result.zap.statistics.accepted >= 1)
    }

    @Test("a CURVE client with any other key is refused")
    func refusedClient() async throws {
        let allowed = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let result = try await handshake(clientKeys: stranger, allowed: [allowed.publicKey])
        #expect(result.outcome == .handshakeFailedAuthentication)
        #expect(!result.delivered)
        #expect(result.zap.statistics.denied >= 1)
        #expect(result.zap.statistics.accepted == 0)
    }

    @Test("malformed ZAP requests get status 500, never a crash")
    func malformedRequests() async throws {
        let context = try Context()
        let zap = try await ZAPHandler(context: context, allowedClientKeys: [])
        let requester = try await AsyncSocket(context: context, type: .dealer) { try $0.connect(ZAPHandler.endpoint) }
        let malformed: [[String]] = [
            ["1.0"],
            ["2.0", "id-2", "", "127.0.0.1", "", "CURVE", "x"],
            ["1.0", "id-3", "", "127.0.0.1", "", "CURVE", "not a 32-byte key"],
        ]
        for request in malformed {
            try await requester.send(Message(frames: [[]] + request.map { Array($0.utf8) }))
            let reply = try await requester.receive()
            #expect(reply.string(at: 3) == "500")
        }
        // Unanswerable envelopes (no delimiter) are dropped and counted; the handler keeps going.
        try await requester.send(Message(strings: ["garbage"]))
        try await requester.send(
            Message(frames: [[]] + ["1.0", "id-4", "", "127.0.0.1", "", "NULL"].map { Array($0.utf8) })
        )
        let denied = try await requester.receive()
        #expect(denied.string(at: 2) == "id-4")
        #expect(denied.string(at: 3) == "400")
        #expect(zap.statistics.malformed == 4)
        try await requester.close()
        await zap.close()
    }
}
