import Testing

@testable import EventBus

@Suite("What a consumer's state tells /ready")
struct ConsumerReadinessTests {
    @Test("a consumer that keeps up is ready")
    func keepingUp() {
        var status = ConsumerStatus()
        status.applied = 50_000
        status.lag = 10_000
        status.gapsDetected = 3
        #expect(status.readinessProblem(maxLag: 10_000) == nil)
    }

    @Test("a purged range makes it not ready until resolved, whatever the lag")
    func purgedRange() {
        var status = ConsumerStatus()
        status.lostRanges = 2
        #expect(status.readinessProblem(maxLag: 10_000) == "stopped at 2 purged ranges (see bus_lost_ranges)")
        status.lostRanges = 1
        status.lag = 99_999
        #expect(status.readinessProblem(maxLag: 10_000) == "stopped at 1 purged range (see bus_lost_ranges)")
    }

    @Test("more than the allowed lag is catching up")
    func catchingUp() {
        var status = ConsumerStatus()
        status.lag = 10_001
        #expect(status.readinessProblem(maxLag: 10_000) == "catching up: 10001 events behind (more than 10000)")
    }
}
