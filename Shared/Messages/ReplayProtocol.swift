/// The replay protocol between a consumer (DEALER) and a publisher's replay endpoint (ROUTER).
///
/// The consumer asks for a range of one stream and grants credit; the publisher answers with at
/// most `credit` event messages, then one closing message. Nothing else is ever in flight, which
/// is what bounds both sides' memory however far behind a consumer is.
///
///     consumer → publisher   ["FETCH", ReplayRequest]
///     publisher → consumer   ["EVENT", requestID, topic, envelope]   × at most `credit`
///     publisher → consumer   ["END", ReplayEnd] | ["PURGED", ReplayPurged] | ["ERROR", ReplayError]
package enum ReplayCommand {
    package static let fetch = "FETCH"
    package static let event = "EVENT"
    package static let end = "END"
    package static let purged = "PURGED"
    package static let error = "ERROR"
}

/// A consumer's request for `from...through` of one stream of the publisher.
package struct ReplayRequest: Codable, Hashable, Sendable {
    /// Echoed in every reply, so replies to an abandoned request are recognized and dropped.
    package var requestID: UInt64
    package var stream: StreamName
    package var from: UInt64
    package var through: UInt64
    /// The most events the publisher may send in answer.
    package var credit: Int

    package init(requestID: UInt64, stream: StreamName, from: UInt64, through: UInt64, credit: Int) {
        self.requestID = requestID
        self.stream = stream
        self.from = from
        self.through = through
        self.credit = credit
    }
}

/// The last reply to a request that was served: `sent` events, the last of them `last`.
package struct ReplayEnd: Codable, Hashable, Sendable {
    package var requestID: UInt64
    package var sent: Int
    /// The last `seq` sent, or `from - 1` when nothing was.
    package var last: UInt64

    package init(requestID: UInt64, sent: Int, last: UInt64) {
        self.requestID = requestID
        self.sent = sent
        self.last = last
    }
}

/// The answer when the start of the asked range is no longer retained: `from...through` is gone
/// for good, and the stream resumes at `through + 1`. A consumer raises an alarm; it never skips.
package struct ReplayPurged: Codable, Hashable, Sendable {
    package var requestID: UInt64
    package var stream: StreamName
    package var from: UInt64
    package var through: UInt64

    package init(requestID: UInt64, stream: StreamName, from: UInt64, through: UInt64) {
        self.requestID = requestID
        self.stream = stream
        self.from = from
        self.through = through
    }
}

/// The answer to a request the publisher could not read or serve, with why.
package struct ReplayError: Codable, Hashable, Sendable {
    package var requestID: UInt64?
    package var reason: String

    package init(requestID: UInt64?, reason: String) {
        self.requestID = requestID
        self.reason = reason
    }
}
