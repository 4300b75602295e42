import Foundation
import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// pyzmq clients publishing and subscribing through a real `huddle-bus` process: any ZeroMQ
/// client, in any language, can use the bus.
@Suite("pyzmq interop: through huddle-bus", .timeLimit(.minutes(1)))
struct BusInteropTests {
    typealias Topics = PublishSubscribeInteropTests

    /// A `huddle-bus` on free ports, answering `/health`.
    struct Bus {
        let process: ChildProcess
        let xsub: String
        let xpub: String

        init() async throws {
            let port = try FreePort.next()
            xsub = "tcp://127.0.0.1:\(try FreePort.next())"
            xpub = "tcp://127.0.0.1:\(try FreePort.next())"
            process = try ChildProcess(
                executable: try BuiltProducts.executable("huddle-bus"),
                environment: [
                    "HUDDLE_HTTP_HOST": "127.0.0.1", "HUDDLE_HTTP_PORT": "\(port)", "HUDDLE_LOG_FORMAT": "json",
                    "HUDDLE_BUS_XSUB_BIND": xsub, "HUDDLE_BUS_XPUB_BIND": xpub, "HUDDLE_PARENT_PID": "\(getpid())",
                ]
            )
            let process = self.process
            try #require(
                await eventually(timeout: .seconds(30)) {
                    await HTTPProbe.answers(url: "http://127.0.0.1:\(port)/health")
                },
                "\(process.report)"
            )
        }
    }

    @Test("a pyzmq PUB publishes through the bus to a Swift SUB, filtered by prefix")
    func pythonPublisher() async throws {
        let bus = try await Bus()
        let context = try Context()
        let subscriber = try await AsyncSocket(context: context, type: .subscribe) { socket in
            try socket.subscribe(Topics.prefix)
            try socket.connect(bus.xpub)
        }
        let peer = try PythonPeer(
            "pub",
            "--endpoint",
            bus.xsub,
            "--warm-up-topic",
            Topics.warmUpTopic,
            "--messages",
            Hex.json(Topics.published)
        )
        let received = try await peer.explainingFailures {
            _ = try await within(.seconds(10), waitingFor: "the first warm-up through the bus") {
                try await subscriber.receive()
            }
            try peer.tell("go")
            var received: [Message] = []
            while received.last?.string(at: 0) != Topics.endTopic {
                received.append(
                    try await within(.seconds(10), waitingFor: "message \(received.count + 1)") {
                        try await subscriber.receive()
                    }
                )
            }
            _ = try await peer.finish()
            return received
        }
        let afterWarmUp = received.drop { $0 == Message(strings: [Topics.warmUpTopic, ""]) }
        #expect(Array(afterWarmUp) == Topics.delivered, "\(peer.report)\n\(bus.process.report)")
        try await subscriber.close()
    }

    @Test("a Swift PUB publishes through the bus to a pyzmq SUB, filtered by prefix")
    func pythonSubscriber() async throws {
        let bus = try await Bus()
        let context = try Context()
        let publisher = try await AsyncSocket(context: context, type: .publish) { try $0.connect(bus.xsub) }
        let peer = try PythonPeer("sub", "--endpoint", bus.xpub, "--prefix", Topics.prefix, "--until", Topics.endTopic)
        let received = try await peer.explainingFailures {
            var first: PeerEvent?
            let deadline = ContinuousClock.now + .seconds(10)
            while first == nil {
                guard ContinuousClock.now < deadline else {
                    throw InteropFailure(description: "no warm-up message reached the peer through the bus")
                }
                try await publisher.send(Message(strings: [Topics.warmUpTopic, ""]))
                first = try await peer.next(within: .milliseconds(20))
            }
            for message in Topics.published {
                try await publisher.send(message)
            }
            return try await peer.finish().compactMap(\.message)
        }
        let afterWarmUp = received.drop { $0 == Message(strings: [Topics.warmUpTopic, ""]) }
        #expect(Array(afterWarmUp) == Topics.delivered, "\(peer.report)\n\(bus.process.report)")
        try await publisher.close()
    }
}
