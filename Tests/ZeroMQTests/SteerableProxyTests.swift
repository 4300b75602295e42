import Foundation
import TestDeadlines
import Testing
import ZeroMQ

@Suite("Steerable proxy", .timeLimit(.minutes(1)))
struct SteerableProxyTests {
    @Test("an XSUB/XPUB proxy forwards publications, counts them, and terminates promptly")
    func forwardsAndCounts() async throws {
        let context = try Context()
        let proxy = try await SteerableProxy(
            context: context,
            frontend: ProxySocket(.extendedSubscribe) { try $0.bind("inproc://bus-in") },
            backend: ProxySocket(.extendedPublish) { try $0.bind("inproc://bus-out") }
        )
        let subscriber = try await AsyncSocket(context: context, type: .subscribe) {
            try $0.subscribe("signal.")
            try $0.connect("inproc://bus-out")
        }
        let publisher = try await AsyncSocket(context: context, type: .publish) { try $0.connect("inproc://bus-in") }

        // Publish until the subscription has propagated through the proxy, then a counted batch.
        var first: Message?
        while first == nil {
            try await publisher.send(Message(strings: ["signal.00.warm-up", ""]))
            first = try? await within(.milliseconds(50), waitingFor: "the first publication") {
                try await subscriber.receive()
            }
        }
        for seq in 1...100 { try await publisher.send(Message(strings: ["signal.3f.page-viewed", "\(seq)"])) }
        var bodies: [String] = []
        for try await message in subscriber.messages where message.string(at: 0) == "signal.3f.page-viewed" {
            bodies.append(message.string(at: 1) ?? "")
            if bodies.count == 100 { break }
        }
        #expect(bodies == (1...100).map(String.init))

        let statistics = try await proxy.statistics()
        #expect(statistics.frontend.messagesIn >= 101)
        #expect(statistics.backend.messagesOut >= 101)
        #expect(statistics.frontend.bytesIn > statistics.frontend.messagesIn * 20)

        let started = ContinuousClock.now
        try await proxy.terminate()
        #expect(ContinuousClock.now - started < .seconds(3))
        try await publisher.close()
        try await subscriber.close()
    }
}

/// Runs blocking socket code on a thread of its own and returns its result.
///
/// Synchronous sockets block their thread; on Swift's small cooperative pool that would starve
/// the async work (handlers, owner-thread hand-offs) a test is waiting for.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
