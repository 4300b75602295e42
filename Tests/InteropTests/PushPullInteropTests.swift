import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

@Suite("pyzmq interop: PUSH/PULL", .timeLimit(.minutes(1)), .socketFolder)
struct PushPullInteropTests {
    @Test("a Swift PUSH delivers multipart binary messages to a pyzmq PULL", arguments: Transport.allCases)
    func swiftPushToPythonPull(transport: Transport) async throws {
        let context = try Context()
        let bindEndpoint = transport.bindEndpoint()
        let push = try await AsyncSocket(context: context, type: .push) { try $0.bind(bindEndpoint) }
        let endpoint = try await push.perform { try $0.lastEndpoint() }
        let peer = try PythonPeer("pull", "--endpoint", endpoint, "--count", "\(Samples.binaryMessages.count)")
        let received = try await peer.explainingFailures {
            // PUSH holds the messages until the peer has connected; the peer exits once it has
            // received them all.
            for message in Samples.binaryMessages {
                try await push.send(message)
            }
            return try await peer.finish().compactMap(\.message)
        }
        #expect(received == Samples.binaryMessages, "\(peer.report)")
        try await push.close()
    }

    @Test("a pyzmq PUSH delivers multipart binary messages to a Swift PULL", arguments: Transport.allCases)
    func pythonPushToSwiftPull(transport: Transport) async throws {
        let context = try Context()
        let bindEndpoint = transport.bindEndpoint()
        let pull = try await AsyncSocket(context: context, type: .pull) { try $0.bind(bindEndpoint) }
        let endpoint = try await pull.perform { try $0.lastEndpoint() }
        let peer = try PythonPeer("push", "--endpoint", endpoint, "--messages", Hex.json(Samples.binaryMessages))
        let received = try await peer.explainingFailures {
            var received: [Message] = []
            for number in 1...Samples.binaryMessages.count {
                received.append(
                    try await within(.seconds(10), waitingFor: "message \(number) from the peer") {
                        try await pull.receive()
                    }
                )
            }
            #expect(try await peer.finish() == [PeerEvent(event: "sent", count: Samples.binaryMessages.count)])
            return received
        }
        #expect(received == Samples.binaryMessages, "\(peer.report)")
        try await pull.close()
    }

    @Test(
        "a Swift PULL drains and counts pyzmq messages over its receive limits and keeps receiving",
        arguments: Transport.allCases
    )
    func overLimitMessagesFromPython(transport: Transport) async throws {
        let context = try Context()
        let (rejections, rejected) = AsyncStream.makeStream(of: ZeroMQError.Code.self)
        let configuration = AsyncSocket.Configuration(
            receiveLimits: ReceiveLimits(maxFrames: 4, maxBytes: 1024),
            onRejectedMessage: { rejected.yield($0.code) }
        )
        let bindEndpoint = transport.bindEndpoint()
        let pull = try await AsyncSocket(context: context, type: .pull, configuration: configuration) {
            try $0.bind(bindEndpoint)
        }
        let endpoint = try await pull.perform { try $0.lastEndpoint() }
        let first = Message(strings: ["first", "within the limits"])
        let last = Message(frames: [Array("last".utf8), Array(repeating: 0xAB, count: 1020)])
        let sent = [
            first,
            Message(frames: Array(repeating: Array("frame".utf8), count: 5)),
            Message(frames: [Array("too large".utf8), Array(repeating: 0xCD, count: 1016)]),
            last,
        ]
        let peer = try PythonPeer("push", "--endpoint", endpoint, "--messages", Hex.json(sent))
        let received = try await peer.explainingFailures {
            var received: [Message] = []
            for number in 1...2 {
                received.append(
                    try await within(.seconds(10), waitingFor: "accepted message \(number)") {
                        try await pull.receive()
                    }
                )
            }
            _ = try await peer.finish()
            return received
        }
        #expect(received == [first, last], "\(peer.report)")
        #expect(pull.statistics.rejected == 2)
        #expect(pull.statistics.received == 2)
        rejected.finish()
        var codes: [ZeroMQError.Code] = []
        for await code in rejections {
            codes.append(code)
        }
        #expect(codes == [.tooManyFrames, .messageTooLarge])
        try await pull.close()
    }
}
