import Messages
import Testing

@testable import EventBus

/// The consumer's bookkeeping with plain values: order, duplicates, gaps, bounds.
struct ConsumerTrackerTests {
    let stream = StreamName(family: .signal, bucket: AccountBucket(index: 0x3f))
    var key: StreamKey { StreamKey(publisher: "p1", stream: stream) }

    func event(_ seq: UInt64, publisher: String = "p1") -> IncomingEvent {
        IncomingEvent(
            key: StreamKey(publisher: publisher, stream: stream),
            seq: seq,
            topic: Array("signal.3f.page-viewed".utf8),
            envelope: [],
            decoded: .failure(.init(code: .invalidValue, path: "", reason: "not needed here"))
        )
    }

    @Test func inOrderEventsAreReadyOnceEach() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 10)
        #expect(tracker.offer(event(1)) == .ready)
        #expect(tracker.offer(event(2)) == .ready)
        #expect(tracker.offer(event(1)) == .duplicate)
        #expect(tracker.offer(event(2)) == .duplicate)
        #expect(tracker.ready.map(\.seq) == [1, 2])
        #expect(tracker.gaps().isEmpty)
    }

    @Test func resumesAfterWhatWasApplied() {
        var tracker = ConsumerTracker(applied: [key: 41], earlyCapacity: 10)
        #expect(tracker.offer(event(41)) == .duplicate)
        #expect(tracker.offer(event(42)) == .ready)
    }

    @Test func aSkippedSeqIsAGapUntilReplayFillsIt() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 10)
        #expect(tracker.offer(event(1)) == .ready)
        #expect(tracker.offer(event(4)) == .early)
        #expect(tracker.offer(event(5)) == .early)
        #expect(tracker.gaps() == [.init(key: key, from: 2, through: 3)])
        #expect(tracker.gapsDetected == 1)
        #expect(tracker.offer(event(2)) == .ready)
        #expect(tracker.offer(event(3)) == .ready)
        #expect(tracker.ready.map(\.seq) == [1, 2, 3, 4, 5], "the early events follow once the gap is filled")
        #expect(tracker.gaps().isEmpty)
        #expect(tracker.earlyEvents == 0)
    }

    @Test func aHeartbeatAheadOfWhatArrivedIsAGap() {
        var tracker = ConsumerTracker(applied: [key: 10], earlyCapacity: 10)
        let heartbeat = Heartbeat(
            publisher: "p1",
            replay: "tcp://127.0.0.1:1",
            time: .now(),
            streams: [.init(stream: stream, seq: 15)]
        )
        tracker.heard(heartbeat, follows: { _ in true })
        #expect(tracker.gaps() == [.init(key: key, from: 11, through: 15)])
        #expect(tracker.lag == 5)
    }

    @Test func aHeartbeatForAStreamNotFollowedIsIgnored() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 10)
        let heartbeat = Heartbeat(
            publisher: "p1",
            replay: "tcp://x:1",
            time: .now(),
            streams: [.init(stream: stream, seq: 3)]
        )
        tracker.heard(heartbeat, follows: { _ in false })
        #expect(tracker.gaps().isEmpty)
    }

    @Test func earlyEventsBeyondCapacityAreDeferredNotHeld() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 2)
        #expect(tracker.offer(event(3)) == .early)
        #expect(tracker.offer(event(4)) == .early)
        #expect(tracker.offer(event(5)) == .deferred)
        #expect(tracker.earlyEvents == 2)
        // The deferred event is still known to exist, so the gap reaches it once the rest is in.
        #expect(tracker.gaps() == [.init(key: key, from: 1, through: 2)])
        _ = tracker.offer(event(1))
        _ = tracker.offer(event(2))
        #expect(tracker.gaps() == [.init(key: key, from: 5, through: 5)])
    }

    @Test func aStalledStreamAppliesNothingMore() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 10)
        tracker.stall(key)
        #expect(tracker.offer(event(1)) == .stalled)
        #expect(tracker.ready.isEmpty)
        #expect(tracker.gaps().isEmpty)
    }

    @Test func publishersCountSeparately() {
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: 10)
        #expect(tracker.offer(event(1, publisher: "p1")) == .ready)
        #expect(tracker.offer(event(1, publisher: "p2")) == .ready)
        tracker.dropReady(1)
        #expect(tracker.ready.map(\.key.publisher) == ["p2"])
    }

    /// Holding an event early once copied every event already held (the cursor was copied out of
    /// its table, so its table of early events was shared when changed): 8,000 took 0.67 s in a
    /// release build, and 49,999 took 43 s in a debug one. Now each costs about the same.
    @Test func holdingEventsEarlyTakesTimeInProportionToTheirNumber() {
        let capacity = ConsumerSettings(name: "c", busEndpoints: [], streams: .init(families: [.signal])).earlyCapacity
        var tracker = ConsumerTracker(applied: [:], earlyCapacity: capacity)
        let events = (1...UInt64(capacity)).reversed().map { event($0) }
        let clock = ContinuousClock()
        let took = clock.measure {
            for event in events.dropLast() { _ = tracker.offer(event) }
        }
        #expect(tracker.earlyEvents == capacity - 1)
        #expect(tracker.offer(events.last!) == .ready)
        #expect(tracker.ready.count == capacity)
        #expect(tracker.ready.map(\.seq) == Array(1...UInt64(capacity)))
        // About 0.1 s in a debug build here.
        #expect(took < .seconds(10), "holding \(capacity - 1) events early took \(took)")
    }
}
