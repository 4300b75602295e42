import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

@Suite("pyzmq interop: PUB/SUB", .timeLimit(.minutes(1)), .socketFolder)
struct PublishSubscribeInteropTests {
    /// The subscription both directions use: one stream of Huddle's bus.
    static let prefix = "signal.3f."
    /// Published until the subscription is known to be in place (the slow joiner).
    static let warmUpTopic = "signal.3f.warm-up"
    /// The last message of a run.
    static let endTopic = "signal.3f.end"

    /// Published after the warm-up: topics that pass the filter, and near misses that must not.
    static let published: [Message] = [
        Message(strings: ["signal.3f.page-viewed", "1"]),
        Message(strings: ["signal.30.page-viewed", "2"]),
        Message(strings: ["account.3f.updated", "3"]),
        Message(strings: ["signal.3f", "4: shorter than the prefix"]),
        Message(frames: [Array("signal.3f.trial-started".utf8), Array(0...255), []]),
        Message(strings: ["SIGNAL.3f.page-viewed", "6: prefixes are case-sensitive bytes"]),
        Message(strings: ["signal.3f.", ""]),
        Message(strings: ["signal.3e.page-viewed", "8"]),
        Message(strings: [endTopic]),
    ]

    /// What a subscriber to ``prefix`` must receive, in order.
    static var delivered: [Message] {
        published.filter { $0.frames[0].starts(with: Array(prefix.utf8)) }
    }

    @Test("a Swift PUB delivers exactly the prefix-matching topics to a pyzmq SUB", arguments: Transport.allCases)
    func swiftPublisherToPythonSubscriber(transport: Transport) async throws {
        let context = try Context()
        let bindEndpoint = transport.bindEndpoint()
        let publisher = try await AsyncSocket(context: context, type: .publish) { try $0.bind(bindEndpoint) }
        let endpoint = try await publisher.perform { try $0.lastEndpoint() }
        let peer = try PythonPeer("sub", "--endpoint", endpoint, "--prefix", Self.prefix, "--until", Self.endTopic)
        let received = try await peer.explainingFailures {
            // The peer's subscription reaches the publisher some time after it connects: publish
            // warm-ups until the peer reports the first one.
            let deadline = ContinuousClock.now + .seconds(10)
            var first: PeerEvent?
            while first == nil {
                guard ContinuousClock.now < deadline else {
                    throw InteropFailure(description: "no warm-up message reached the peer within 10 seconds")
                }
                try await publisher.send(Message(strings: [Self.warmUpTopic, ""]))
                first = try await peer.next(within: .milliseconds(20))
            }
            #expect(first?.message == Message(strings: [Self.warmUpTopic, ""]), "\(peer.report)")
            for message in Self.published {
                try await publisher.send(message)
            }
            return try await peer.finish().compactMap(\.message)
        }
        let afterWarmUp = received.drop { $0 == Message(strings: [Self.warmUpTopic, ""]) }
        #expect(Array(afterWarmUp) == Self.delivered, "\(peer.report)")
        try await publisher.close()
    }

    @Test("a pyzmq PUB delivers exactly the prefix-matching topics to a Swift SUB", arguments: Transport.allCases)
    func pythonPublisherToSwiftSubscriber(transport: Transport) async throws {
        let context = try Context()
        let bindEndpoint = transport.bindEndpoint()
        let subscriber = try await AsyncSocket(context: context, type: .subscribe) { socket in
            try socket.subscribe(Self.prefix)
            try socket.bind(bindEndpoint)
        }
        let endpoint = try await subscriber.perform { try $0.lastEndpoint() }
        let peer = try PythonPeer(
            "pub",
            "--endpoint",
            endpoint,
            "--warm-up-topic",
            Self.warmUpTopic,
            "--messages",
            Hex.json(Self.published)
        )
        let received = try await peer.explainingFailures {
            // The peer publishes warm-ups until told that one arrived; then the real messages.
            let first = try await within(.seconds(10), waitingFor: "the first warm-up message") {
                try await subscriber.receive()
            }
            #expect(first == Message(strings: [Self.warmUpTopic, ""]))
            try peer.tell("go")
            var received: [Message] = []
            while received.last?.string(at: 0) != Self.endTopic {
                received.append(
                    try await within(.seconds(10), waitingFor: "message \(received.count + 1)") {
                        try await subscriber.receive()
                    }
                )
            }
            #expect(try await peer.finish() == [PeerEvent(event: "sent", count: Self.published.count)])
            return received
        }
        let afterWarmUp = received.drop { $0 == Message(strings: [Self.warmUpTopic, ""]) }
        #expect(Array(afterWarmUp) == Self.delivered, "\(peer.report)")
        try await subscriber.close()
    }
}
