import Logging
import Messages
import Prometheus
import SQLKit
import Storage
import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

@testable import EventBus

/// The relay against a real XSUB socket in the proxy's place, which subscribes like a proxy with a
/// consumer behind it does.
@Suite("Relay: a starting relay sends nothing before the bus's subscriptions arrived", .timeLimit(.minutes(1)))
struct RelayStartTests {
    static let backlog = 500

    @Test("a backlog waiting at start reaches a subscriber already on the bus whole, from seq 1")
    func backlogReachesSubscriber() async throws {
        let publisher = try await Self.publisherWithBacklog()
        defer { Task { await publisher.database.close() } }
        let (bus, endpoint) = try await Self.bus()
        #expect(!publisher.isRelaying)
        try await bus.send(Message([1]))  // Subscribe to everything, as a proxy does for its consumers.

        let relay = Self.relay(publisher, endpoint: endpoint, subscriptionWait: .seconds(30))
        let running = Task { try await relay.run() }
        let seqs = try await within(.seconds(20), waitingFor: "\(Self.backlog) events") {
            var seqs: [UInt64] = []
            for try await message in bus.messages where message.string(at: 0) != Heartbeat.topic {
                seqs.append(
                    try IncomingEvent.read(topic: message.frames[0], envelope: message.frames[1], codec: BusCodec())
                        .get().seq
                )
                if seqs.count == Self.backlog { break }
            }
            return seqs
        }
        #expect(seqs == Array(1...UInt64(Self.backlog)))
        #expect(publisher.isRelaying)
        try await Self.stop(running, bus)
        #expect(!publisher.isRelaying, "a stopped relay still counts as relaying")
    }

    @Test("with no subscriber on the bus, the relay starts sending once the wait has passed")
    func noSubscriberStartsAfterWait() async throws {
        let publisher = try await Self.publisherWithBacklog()
        defer { Task { await publisher.database.close() } }
        let (bus, endpoint) = try await Self.bus()

        let clock = ContinuousClock()
        let started = clock.now
        let relay = Self.relay(publisher, endpoint: endpoint, subscriptionWait: .milliseconds(300))
        let running = Task { try await relay.run() }
        try await Task.sleep(for: .milliseconds(100))
        // Read before the wait can have passed (checked after, so a slow machine cannot fail it).
        let relayingEarly = publisher.isRelaying
        if clock.now - started < .milliseconds(300) {
            #expect(!relayingEarly, "the relay opened before the wait had passed, with nobody subscribed")
        }
        // The relay records how far it sent with every heartbeat; the first goes out with the backlog.
        let sent = await eventually(timeout: .seconds(20), poll: .milliseconds(10)) {
            let cursor = try? await publisher.database.read { sql in
                try await sql.raw("SELECT relayed_position FROM bus_relay_cursor").first()?
                    .decode(column: "relayed_position", as: Int64.self)
            }
            return cursor == Int64(Self.backlog)
        }
        #expect(sent, "the relay never sent its backlog")
        #expect(clock.now - started >= .milliseconds(300), "the relay sent before the wait had passed")
        try await Self.stop(running, bus)
    }

    /// A publisher whose outbox holds `backlog` events of one stream, none relayed yet, written
    /// before this publisher was opened (as before a restart): the relay finds them in the outbox
    /// only, not among the rows committed through it.
    static func publisherWithBacklog() async throws -> Publisher {
        let earlier = try await OutboxRangeTests.publisher(.sqlite)
        _ = try await earlier.publish(
            (1...backlog).map { OutboxRangeTests.signal($0, account: "acct-7") }
        )
        return try await Publisher.open(database: earlier.database, service: "probe", configuredID: earlier.id)
    }

    /// An XSUB socket bound where the relay will connect, as a proxy's front end is. (The socket
    /// keeps its context alive.)
    static func bus() async throws -> (AsyncSocket, String) {
        let context = try Context()
        let endpoint = "tcp://127.0.0.1:\(try FreePort.next())"
        let socket = try await AsyncSocket(context: context, type: .extendedSubscribe) { socket in
            try socket.setOption(.linger, .after(.zero))
            try socket.bind(endpoint)
        }
        return (socket, endpoint)
    }

    static func relay(_ publisher: Publisher, endpoint: String, subscriptionWait: Duration) -> Relay {
        var settings = PublisherSettings(
            busEndpoints: [endpoint],
            replayBind: "tcp://127.0.0.1:0",
            replayAdvertiseHost: "127.0.0.1"
        )
        settings.subscriptionWait = subscriptionWait
        return Relay(
            publisher: publisher,
            settings: settings,
            metrics: PublisherMetrics(registry: PrometheusCollectorRegistry(), publisher: publisher.id),
            logger: Logger(label: "relay-start-tests")
        )
    }

    /// Cancels the relay and waits for it to end, then closes the bus socket.
    static func stop(_ running: Task<Void, any Error>, _ bus: AsyncSocket) async throws {
        running.cancel()
        try await within(.seconds(10), waitingFor: "the relay to stop") { _ = await running.result }
        try await bus.close(drainTimeout: .zero)
    }
}
