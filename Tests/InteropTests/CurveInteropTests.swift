import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

@Suite("pyzmq interop: CURVE and ZAP", .timeLimit(.minutes(1)), .socketFolder)
struct CurveInteropTests {
    /// How a CURVE handshake ended on the Swift server, and what was delivered.
    struct ServerOutcome: Sendable {
        /// The server monitor's first handshake event.
        var handshake: MonitorEvent.Kind
        /// That event's value: 0 on success, the ZAP status code when authentication failed.
        var status: UInt32
        /// The messages the server received.
        var delivered: [Message]
    }

    /// A Swift CURVE PULL server, guarded by a ``ZAPHandler`` that admits `allowed`, and a pyzmq
    /// client that connects with `clientKeys` and sends ``Samples/binaryMessages``.
    ///
    /// Returns the server's side (its monitor's verdict, what it received), the client's side
    /// (the handshake as the peer saw it), and the handler for its statistics.
    func handshake(
        over transport: Transport,
        clientKeys: CurveKeyPair,
        allowed: Set<String>
    ) async throws -> (server: ServerOutcome, client: [PeerEvent], zap: ZAPHandler) {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        // The handler must be bound before the CURVE server, in the same context.
        let zap = try await ZAPHandler(context: context, allowedClientKeys: allowed)
        let expected = Samples.binaryMessages.count
        let bindEndpoint = transport.bindEndpoint()
        let (server, client) = try await onOwnThread { (announce: @Sendable (String) -> Void) in
            let server = try Socket(context: context, type: .pull)
            try server.setOption(.curveServer, true)
            try server.setOption(.curveSecretKey, serverKeys.secretKey)
            try server.setOption(.receiveTimeout, .milliseconds(10_000))
            let events = try server.monitor(events: [
                .handshakeSucceeded, .handshakeFailedAuthentication, .handshakeFailedProtocol,
                .handshakeFailedNoDetail,
            ])
            try events.socket.setOption(.receiveTimeout, .milliseconds(10_000))
            try server.bind(bindEndpoint)
            announce(try server.lastEndpoint())
            // Both waits end with an error after the receive time-out (a blocking receive never
            // returns nil); expectations are checked on the test's task, not on this thread.
            guard let handshake = try events.nextEvent() else {
                return ServerOutcome(handshake: [], status: 0, delivered: [])
            }
            var delivered: [Message] = []
            if handshake.kind == .handshakeSucceeded {
                for _ in 0..<expected {
                    if let message = try server.receive() { delivered.append(message) }
                }
            } else if let message = try server.receive(dontWait: true) {
                // Nothing can come from a client that failed the handshake.
                delivered.append(message)
            }
            return ServerOutcome(handshake: handshake.kind, status: handshake.value, delivered: delivered)
        } meanwhile: { endpoint in
            let peer = try PythonPeer(
                "curve-push",
                "--endpoint",
                endpoint,
                // Z85 keys may start with "-": glued to their option, they cannot pass for one.
                "--server-key=\(serverKeys.publicKey)",
                "--public-key=\(clientKeys.publicKey)",
                "--secret-key=\(clientKeys.secretKey)",
                "--messages",
                Hex.json(Samples.binaryMessages)
            )
            do {
                return try await peer.finish()
            } catch {
                // Ends the server's blocking waits at once instead of after their time-out.
                context.shutdown()
                throw error
            }
        }
        await zap.close()
        return (server, client, zap)
    }

    @Test(
        "a Swift CURVE server admits a pyzmq client whose key is on the ZAP allow-list",
        arguments: Transport.allCases
    )
    func allowedPythonClient(transport: Transport) async throws {
        let clientKeys = try CurveKeyPair.generate()
        let other = try CurveKeyPair.generate()
        let (server, client, zap) = try await handshake(
            over: transport,
            clientKeys: clientKeys,
            allowed: [other.publicKey, clientKeys.publicKey]
        )
        #expect(server.handshake == .handshakeSucceeded)
        #expect(server.status == 0)
        #expect(server.delivered == Samples.binaryMessages)
        #expect(client == [PeerEvent(event: "handshake", outcome: "succeeded", value: 0)])
        #expect(zap.statistics.accepted == 1)
        #expect(zap.statistics.denied == 0)
    }

    @Test("a Swift CURVE server refuses a pyzmq client with any other key", arguments: Transport.allCases)
    func refusedPythonClient(transport: Transport) async throws {
        let allowed = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let (server, client, zap) = try await handshake(
            over: transport,
            clientKeys: stranger,
            allowed: [allowed.publicKey]
        )
        #expect(server.handshake == .handshakeFailedAuthentication)
        #expect(server.status == 400)
        #expect(server.delivered.isEmpty)
        // The client hears the ZAP handler's verdict: status 400.
        #expect(client == [PeerEvent(event: "handshake", outcome: "failed-authentication", value: 400)])
        #expect(zap.statistics.denied >= 1)
        #expect(zap.statistics.accepted == 0)
    }

    @Test(
        "a pyzmq CURVE ROUTER admits a Swift DEALER with an allowed key and refuses any other key",
        arguments: Transport.allCases
    )
    func pythonServerWithSwiftClients(transport: Transport) async throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let allowed = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let peer = try PythonPeer(
            "router",
            "--endpoint",
            transport.bindEndpoint(),
            "--count",
            "1",
            // Z85 keys may start with "-": glued to their option, they cannot pass for one.
            "--curve-secret-key=\(serverKeys.secretKey)",
            "--allow=\(allowed.publicKey)"
        )
        /// A CURVE DEALER with `keys` and routing id `id`, connected to the peer.
        func dealer(_ id: String, keys: CurveKeyPair, endpoint: String) async throws -> AsyncSocket {
            try await AsyncSocket(context: context, type: .dealer) { socket in
                try socket.setOption(.curveServerKey, serverKeys.publicKey)
                try socket.setOption(.curvePublicKey, keys.publicKey)
                try socket.setOption(.curveSecretKey, keys.secretKey)
                try socket.setOption(.routingID, Array(id.utf8))
                // The refused DEALER's request never leaves; closing must not wait for it.
                try socket.setOption(.linger, .milliseconds(0))
                try socket.connect(endpoint)
            }
        }
        let (reply, events) = try await peer.explainingFailures {
            let endpoint = try #require(try await peer.next().endpoint, "the peer announces its endpoint first")

            let refused = try await dealer("stranger", keys: stranger, endpoint: endpoint)
            try await refused.send(Message(strings: ["request", "from the stranger"]))
            var handshake = try await peer.next()
            while handshake.event != "handshake" {
                handshake = try await peer.next()
            }
            #expect(handshake == PeerEvent(event: "handshake", outcome: "failed-authentication", value: 400))
            // The refused request can never leave. If the refusal came before libzmq took it, close
            // reports it as discarded (never silently lost); if after, libzmq drops it at close.
            do {
                try await refused.close(drainTimeout: .milliseconds(100))
            } catch let error as ZeroMQError where error.code == .unsentMessagesDiscarded {
                #expect(error.message.hasPrefix("1 queued messages"))
            }

            let admitted = try await dealer("member", keys: allowed, endpoint: endpoint)
            try await admitted.send(Message(strings: ["request", "from a member"]))
            let reply = try await within(.seconds(10), waitingFor: "the reply to the admitted DEALER") {
                try await admitted.receive()
            }
            try await admitted.close()
            return (reply, try await peer.finish())
        }
        #expect(reply == Message(strings: ["reply", "request", "from a member"]), "\(peer.report)")
        // Only the admitted DEALER's request reached the peer.
        #expect(
            events.compactMap(\.message) == [Message(strings: ["member", "request", "from a member"])],
            "\(peer.report)"
        )
        #expect(events.contains(PeerEvent(event: "handshake", outcome: "succeeded", value: 0)), "\(peer.report)")
    }
}
