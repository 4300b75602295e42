import Messages
import Testing
import ZeroMQ

@testable import EventBus

/// The link between committing threads and the relay, against a real XPUB socket with a real
/// subscriber behind it.
@Suite(
    "RelayLink: small commits go out from the committing thread, everything else through the relay",
    .timeLimit(.minutes(1))
)
struct RelayLinkTests {
    let stream = StreamName(family: .signal, bucket: AccountBucket(index: 7))

    /// A link whose socket has a subscriber to everything, and that subscriber.
    func linked(cursor: Int64 = 0) throws -> (RelayLink, Socket) {
        let context = try Context()
        let socket = try LockedSocket(context: context, type: .extendedPublish) { socket in
            try socket.setOption(.receiveTimeout, .milliseconds(5000))
            try socket.bind("tcp://127.0.0.1:*")
        }
        let subscriber = try Socket(context: context, type: .subscribe)
        try subscriber.setOption(.receiveTimeout, .milliseconds(5000))
        try subscriber.subscribe("")
        try subscriber.connect(try socket.withSocket { try $0.lastEndpoint() })
        // The subscription has reached the XPUB once it hands it over: nothing sent is filtered away.
        let subscription = try socket.withSocket { try $0.receive() }
        #expect(subscription?.frames.first?.first == 1)
        let link = RelayLink()
        link.open(socket, from: RelayState(cursor: cursor, startStreams: [:], startPosition: 0))
        return (link, subscriber)
    }

    func rows(_ positions: ClosedRange<Int64>) -> [OutboxRow] {
        positions.map { position in
            OutboxRow(
                position: position,
                stream: stream,
                seq: UInt64(position),
                topic: stream.description + ".signal-recorded",
                envelope: Array("event \(position)".utf8)
            )
        }
    }

    /// The positions of the next `count` messages the subscriber gets (their envelopes name them).
    func received(_ count: Int, by subscriber: Socket) throws -> [Int64] {
        try (0..<count).map { _ in
            let message = try #require(try subscriber.receive())
            return Int64(String(decoding: message.frames[1], as: UTF8.self).dropFirst("event ".count))!
        }
    }

    @Test("a small commit next in line is sent by the committing call, in order, and counted")
    func smallCommitSentAtOnce() throws {
        let (link, subscriber) = try linked(cursor: 10)
        #expect(link.committed(rows(11...13)) == false)
        #expect(link.position?.cursor == 13)
        #expect(link.position?.sent[stream] == 13)
        #expect(link.takeSentDirectly() == 3)
        #expect(link.takeSentDirectly() == 0)
        #expect(try received(3, by: subscriber) == [11, 12, 13])
    }

    @Test("a commit that does not follow on waits for the relay, which is told to read the outbox")
    func holeSendsRelayToOutbox() throws {
        let (link, _) = try linked(cursor: 5)
        #expect(link.committed(rows(8...9)) == true)
        #expect(link.position?.cursor == 5)
        #expect(link.takePending() == nil)
        // Nothing waiting: the outbox may still hold rows the link never saw.
        #expect(link.takePending() == nil)
    }

    @Test("a large commit is left to the relay, which sends it in order and skips what went out already")
    func largeCommitLeftToRelay() throws {
        let (link, subscriber) = try linked()
        let large = rows(1...Int64(RelayLink.directLimit + 1))
        #expect(link.committed(large) == true)
        // A small commit behind it queues behind it rather than jumping the line.
        let next = Int64(large.count + 1)
        #expect(link.committed(rows(next...next)) == true)
        #expect(link.position?.cursor == 0)
        let pending = try #require(link.takePending())
        #expect(pending.map(\.position) == Array(1...next))
        #expect(try link.send(pending) == pending.count)
        #expect(try link.send(pending) == 0)
        #expect(try received(pending.count, by: subscriber) == Array(1...next))
        #expect(link.takeSentDirectly() == 0)
    }

    @Test("before the relay opens the link, commits wait; once open, those that follow on are handed over")
    func commitsBeforeOpenWait() throws {
        let socket = try LockedSocket(context: try Context(), type: .extendedPublish) { _ in }
        let link = RelayLink()
        #expect(link.committed(rows(1...2)) == true)
        #expect(link.takePending() == nil)  // Not open: nothing can be sent yet.
        #expect(link.committed(rows(3...4)) == true)
        link.open(socket, from: RelayState(cursor: 2, startStreams: [:], startPosition: 0))
        #expect(link.takePending()?.map(\.position) == [3, 4])
    }

    @Test("past its capacity the link drops what waits, and the relay reads the outbox")
    func overflowDropsPending() throws {
        let socket = try LockedSocket(context: try Context(), type: .extendedPublish) { _ in }
        let link = RelayLink(capacity: 10)
        #expect(link.committed(rows(1...8)) == true)
        #expect(link.committed(rows(9...12)) == true)
        link.open(socket, from: RelayState(cursor: 0, startStreams: [:], startPosition: 0))
        #expect(link.takePending() == nil)
        // Nothing is held from before the overflow: what is committed next waits for the outbox.
        #expect(link.committed(rows(13...13)) == true)
        #expect(link.takePending() == nil)
    }

    @Test("a closed link sends nothing; commits wait in the outbox for the next start")
    func closedLinkSendsNothing() throws {
        let (link, _) = try linked()
        link.close()
        #expect(link.committed(rows(1...1)) == true)
        #expect(link.position == nil)
        #expect(try link.send(rows(1...1)) == 0)
    }
}
