import Messages

/// A consumer's view of every (publisher, stream) it follows, without I/O: what comes next, what
/// arrived early, what is known to exist, and so which ranges must be fetched by replay.
///
/// Events leave through ``ready`` strictly in `seq` order per stream, each exactly once, whatever
/// order and however many times they arrive (live, by replay, through two proxies).
struct ConsumerTracker {
    enum Offer: Equatable {
        /// Next in line: queued for applying.
        case ready
        /// Already applied or queued.
        case duplicate
        /// Ahead of a gap: held until the gap is filled.
        case early
        /// Ahead of a gap with no room to hold it: dropped for now, fetched again by replay.
        case deferred
        /// The stream is stopped at a purged range.
        case stalled
    }

    /// A range that must be fetched by replay.
    struct Gap: Equatable {
        var key: StreamKey
        var from: UInt64
        var through: UInt64
    }

    private struct Cursor {
        /// The next `seq` to queue.
        var next: UInt64
        /// The highest `seq` known to exist (seen live or in a heartbeat).
        var known: UInt64
        var early: [UInt64: IncomingEvent] = [:]
        var gapOpen = false
        var stalled = false
    }

    private var cursors: [StreamKey: Cursor] = [:]
    /// Events to apply, in order per stream.
    private(set) var ready: [IncomingEvent] = []
    private var earlyCount = 0
    private let earlyCapacity: Int
    /// Gaps noticed so far.
    private(set) var gapsDetected = 0

    /// A tracker that resumes after `applied` (the last applied `seq` of each stream).
    init(applied: [StreamKey: UInt64], stalled: Set<StreamKey> = [], earlyCapacity: Int) {
        self.earlyCapacity = earlyCapacity
        for (key, seq) in applied { cursors[key] = Cursor(next: seq + 1, known: seq) }
        for key in stalled { cursors[key, default: Cursor(next: 1, known: 0)].stalled = true }
    }

    mutating func offer(_ event: IncomingEvent) -> Offer {
        // In place, with one lookup: a copy of the cursor would share its `early` events with the
        // stored one, so holding an event early would copy all the others held.
        Self.offer(
            event,
            to: &cursors[event.key, default: Cursor(next: 1, known: 0)],
            ready: &ready,
            earlyCount: &earlyCount,
            earlyCapacity: earlyCapacity
        )
    }

    private static func offer(
        _ event: IncomingEvent,
        to cursor: inout Cursor,
        ready: inout [IncomingEvent],
        earlyCount: inout Int,
        earlyCapacity: Int
    ) -> Offer {
        cursor.known = max(cursor.known, event.seq)
        if cursor.stalled { return .stalled }
        if event.seq < cursor.next || cursor.early[event.seq] != nil { return .duplicate }
        if event.seq > cursor.next {
            guard earlyCount < earlyCapacity else { return .deferred }
            cursor.early[event.seq] = event
            earlyCount += 1
            return .early
        }
        ready.append(event)
        cursor.next += 1
        while let following = cursor.early.removeValue(forKey: cursor.next) {
            earlyCount -= 1
            ready.append(following)
            cursor.next += 1
        }
        if cursor.next > cursor.known { cursor.gapOpen = false }
        return .ready
    }

    /// Takes in a heartbeat: its streams' latest `seq`s exist, whether or not they arrived.
    mutating func heard(_ heartbeat: Heartbeat, follows: (StreamName) -> Bool) {
        for position in heartbeat.streams where follows(position.stream) {
            let key = StreamKey(publisher: heartbeat.publisher, stream: position.stream)
            cursors[key, default: Cursor(next: 1, known: 0)].known = max(cursors[key]?.known ?? 0, position.seq)
        }
    }

    /// The ranges missing before what is known to exist, one per stream, oldest first.
    mutating func gaps() -> [Gap] {
        var gaps: [Gap] = []
        for (key, cursor) in cursors where !cursor.stalled && cursor.next <= cursor.known {
            let through = cursor.early.keys.min().map { $0 - 1 } ?? cursor.known
            guard through >= cursor.next else { continue }
            if !cursor.gapOpen {
                cursors[key]!.gapOpen = true
                gapsDetected += 1
            }
            gaps.append(Gap(key: key, from: cursor.next, through: through))
        }
        return gaps
    }

    /// Forgets the first `count` ready events: they were applied.
    mutating func dropReady(_ count: Int) {
        ready.removeFirst(min(count, ready.count))
    }

    /// Stops a stream at a purged range: nothing more of it is applied until an operator resolves it.
    mutating func stall(_ key: StreamKey) {
        var cursor = cursors[key] ?? Cursor(next: 1, known: 0)
        earlyCount -= cursor.early.count
        cursor.early = [:]
        cursor.stalled = true
        cursors[key] = cursor
    }

    /// Events known to exist but not yet applied, over all streams.
    var lag: UInt64 {
        cursors.values.reduce(0) { $0 + ($1.known >= $1.next ? $1.known - $1.next + 1 : 0) } + UInt64(ready.count)
    }

    /// Events held ahead of a gap.
    var earlyEvents: Int { earlyCount }

    /// The last `seq` queued or applied per stream.
    var positions: [StreamKey: UInt64] { cursors.mapValues { $0.next - 1 } }
}
