import Foundation
import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

/// `huddle-bus` as a real process between real ZeroMQ publishers and subscribers.
@Suite("huddle-bus between real publishers and subscribers", .timeLimit(.minutes(1)))
struct BusProxyTests {
    let context = try! Context()

    /// A `huddle-bus` process answering `/health`, with the endpoints clients connect to.
    struct Bus {
        let service: RunningService
        let xsub: String
        let xpub: String

        init(endpoints: [String: String]? = nil) async throws {
            let binds = try endpoints ?? busBindEnvironment()
            service = try RunningService("huddle-bus", environment: binds)
            xsub = binds["HUDDLE_BUS_XSUB_BIND"]!
            xpub = binds["HUDDLE_BUS_XPUB_BIND"]!
            let service = self.service
            try #require(
                await eventually(timeout: .seconds(30)) { await service.health() != nil },
                "\(service.process.report)"
            )
        }

        var endpoints: [String: String] { ["HUDDLE_BUS_XSUB_BIND": xsub, "HUDDLE_BUS_XPUB_BIND": xpub] }

        /// Stops the bus with SIGTERM and expects a clean exit.
        func stop() async {
            service.process.terminate()
            #expect(await service.process.waitForExit(timeout: .seconds(10)) == .exited(0), "\(service.process.report)")
        }
    }

    func subscriber(to buses: [Bus], prefix: String) async throws -> AsyncSocket {
        try await AsyncSocket(context: context, type: .subscribe) { socket in
            try socket.subscribe(prefix)
            for bus in buses { try socket.connect(bus.xpub) }
        }
    }

    func publisher(to buses: [Bus]) async throws -> AsyncSocket {
        try await AsyncSocket(context: context, type: .publish) { socket in
            for bus in buses { try socket.connect(bus.xsub) }
        }
    }

    /// Publishes warm-ups until one arrives: subscriptions travel through the proxy asynchronously.
    func waitUntilFlowing(_ publisher: AsyncSocket, _ subscriber: AsyncSocket, report: String) async throws {
        for _ in 0..<500 {
            try await publisher.send(Message(strings: ["signal.3f.warm-up", ""]))
            if (try? await within(.milliseconds(20), waitingFor: "a warm-up") { try await subscriber.receive() }) != nil
            {
                return
            }
        }
        Issue.record("no message came through the bus: \(report)")
    }

    /// The bodies of the next `count` `signal.3f.page-viewed` messages, skipping warm-ups.
    func bodies(_ count: Int, from subscriber: AsyncSocket) async throws -> [String] {
        try await within(.seconds(10), waitingFor: "\(count) messages") {
            var bodies: [String] = []
            for try await message in subscriber.messages where message.string(at: 0) == "signal.3f.page-viewed" {
                bodies.append(message.string(at: 1) ?? "")
                if bodies.count == count { break }
            }
            return bodies
        }
    }

    @Test("publications reach the subscriber through the bus in order, and /metrics counts them")
    func forwardsAndCounts() async throws {
        let bus = try await Bus()
        let subscriber = try await subscriber(to: [bus], prefix: "signal.3f.")
        let publisher = try await publisher(to: [bus])
        try await waitUntilFlowing(publisher, subscriber, report: bus.service.process.report)
        for seq in 1...200 { try await publisher.send(Message(strings: ["signal.3f.page-viewed", "\(seq)"])) }
        #expect(try await bodies(200, from: subscriber) == (1...200).map(String.init))

        let metrics = try await HTTPProbe.get(url: "http://127.0.0.1:\(bus.service.port)/metrics").body
        let forwarded = metrics.split(separator: "\n").first {
            $0.hasPrefix("huddle_bus_messages_total{side=\"backend\",direction=\"out\"}")
        }
        #expect((forwarded?.split(separator: " ").last).flatMap { Int($0) } ?? 0 >= 200, "\(metrics)")
        try await publisher.close()
        try await subscriber.close()
        await bus.stop()
    }

    @Test("two proxies side by side both forward: a client on both sees every message twice")
    func twoProxies() async throws {
        let buses = [try await Bus(), try await Bus()]
        let subscriber = try await subscriber(to: buses, prefix: "signal.3f.")
        let publisher = try await publisher(to: buses)
        // Both paths must carry the subscription before counting starts.
        for bus in buses {
            let probe = try await self.publisher(to: [bus])
            try await waitUntilFlowing(probe, subscriber, report: bus.service.process.report)
            try await probe.close()
        }
        try await waitUntilFlowing(publisher, subscriber, report: buses[0].service.process.report)
        for seq in 1...50 { try await publisher.send(Message(strings: ["signal.3f.page-viewed", "\(seq)"])) }
        let received = try await bodies(100, from: subscriber)
        // Consumers drop the duplicates by (publisher, stream, seq); here both copies arrive.
        #expect(
            Dictionary(grouping: received, by: { $0 }).mapValues(\.count)
                == Dictionary(
                    uniqueKeysWithValues: (1...50).map { ("\($0)", 2) }
                )
        )
        try await publisher.close()
        try await subscriber.close()
        for bus in buses { await bus.stop() }
    }

    @Test("a restarted proxy on the same endpoints carries traffic again without restarting its clients")
    func restart() async throws {
        let first = try await Bus()
        let subscriber = try await subscriber(to: [first], prefix: "signal.3f.")
        let publisher = try await publisher(to: [first])
        try await waitUntilFlowing(publisher, subscriber, report: first.service.process.report)
        await first.stop()

        let second = try await Bus(endpoints: first.endpoints)
        try await waitUntilFlowing(publisher, subscriber, report: second.service.process.report)
        for seq in 1...20 { try await publisher.send(Message(strings: ["signal.3f.page-viewed", "\(seq)"])) }
        #expect(try await bodies(20, from: subscriber) == (1...20).map(String.init))
        try await publisher.close()
        try await subscriber.close()
        await second.stop()
    }
}
