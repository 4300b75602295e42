import TestDeadlines
import Testing
import ZeroMQ

/// `receiveBatch(maxCount:timeout:)`, which the bus's consumers wait on between turns.
extension AsyncSocketTests {
    @Test("a timed receive returns what is queued at once, up to maxCount")
    func timedReceiveTakesQueued() async throws {
        let (push, pull) = try await connectedPushPull()
        for number in 0..<3 { try await push.send(Message(strings: ["\(number)"])) }
        try await push.flush()
        #expect(await eventually { pull.statistics.received == 3 })
        let start = ContinuousClock.now
        let first = try await pull.receiveBatch(maxCount: 2, timeout: .seconds(30))
        let rest = try await pull.receiveBatch(maxCount: 10, timeout: .seconds(30))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(first.map { $0.string(at: 0) } == ["0", "1"])
        #expect(rest.map { $0.string(at: 0) } == ["2"])
        try await push.close()
        try await pull.close()
    }

    @Test("a timed receive with nothing to take returns an empty batch once its timeout passed")
    func timedReceiveTimesOut() async throws {
        let (push, pull) = try await connectedPushPull()
        let start = ContinuousClock.now
        // Bounded, so that a deadline the owner thread forgot fails the test instead of hanging it.
        let batch = try await within(.seconds(10), waitingFor: "the timed receive's deadline") {
            try await pull.receiveBatch(maxCount: 10, timeout: .milliseconds(200))
        }
        let waited = ContinuousClock.now - start
        #expect(batch.isEmpty)
        #expect(waited >= .milliseconds(200) && waited < .seconds(10))
        #expect(try await pull.receiveBatch(maxCount: 10, timeout: .zero).isEmpty)
        try await push.close()
        try await pull.close()
    }

    @Test("a message arriving during a timed receive ends the wait")
    func timedReceiveWakesOnArrival() async throws {
        let (push, pull) = try await connectedPushPull()
        let start = ContinuousClock.now
        async let batch = pull.receiveBatch(maxCount: 10, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(50))
        try await push.send(Message(strings: ["late"]))
        #expect(try await batch.map { $0.string(at: 0) } == ["late"])
        #expect(ContinuousClock.now - start < .seconds(10))
        try await push.close()
        try await pull.close()
    }

    @Test("a timed receive on a closed, empty socket throws socketClosed")
    func timedReceiveAfterClose() async throws {
        let (push, pull) = try await connectedPushPull()
        try await pull.close()
        for timeout in [Duration.zero, .seconds(30)] {
            let error = await #expect(throws: ZeroMQError.self) {
                try await pull.receiveBatch(maxCount: 10, timeout: timeout)
            }
            #expect(error?.code == .socketClosed)
        }
        try await push.close()
    }

    // The two tests below bound their waits loosely: under the full suite a resumption can come
    // seconds late. What they check is which deadline ends which wait, not how punctually.

    @Test("a sooner deadline wakes an owner thread asleep until a later one")
    func soonerDeadlineWakesOwner() async throws {
        let (push, pull) = try await connectedPushPull()
        let long = Task { try await pull.receiveBatch(maxCount: 10, timeout: .seconds(120)) }
        try await Task.sleep(for: .milliseconds(100))
        // Without the wake-up, the owner would sleep until the long deadline and this would time out.
        let short = try await within(.seconds(30), waitingFor: "the short deadline") {
            try await pull.receiveBatch(maxCount: 10, timeout: .milliseconds(100))
        }
        #expect(short.isEmpty)
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
        try await push.close()
        try await pull.close()
    }

    @Test("once a deadline has passed, the owner thread keeps the next one")
    func laterDeadlineKept() async throws {
        let (push, pull) = try await connectedPushPull()
        let start = ContinuousClock.now
        async let long = within(.seconds(30), waitingFor: "the long deadline") {
            try await pull.receiveBatch(maxCount: 10, timeout: .seconds(1))
        }
        try await Task.sleep(for: .milliseconds(50))
        let short = try await within(.seconds(30), waitingFor: "the short deadline") {
            try await pull.receiveBatch(maxCount: 10, timeout: .milliseconds(100))
        }
        #expect(short.isEmpty)
        #expect(try await long.isEmpty)
        #expect(ContinuousClock.now - start >= .seconds(1))
        try await push.close()
        try await pull.close()
    }

    @Test("a cancelled timed receive throws and takes nothing that arrives later")
    func timedReceiveCancelled() async throws {
        let (push, pull) = try await connectedPushPull()
        let waiting = Task { try await pull.receiveBatch(maxCount: 10, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        try await push.send(Message(strings: ["after"]))
        let batch = try await pull.receiveBatch(maxCount: 10, timeout: .seconds(30))
        #expect(batch.map { $0.string(at: 0) } == ["after"])
        try await push.close()
        try await pull.close()
    }
}
