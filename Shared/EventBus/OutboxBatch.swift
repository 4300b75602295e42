import Messages

/// The events a publishing transaction announces, staged until the transaction writes them to the
/// outbox just before it commits.
package struct OutboxBatch: Sendable {
    struct Staged: Sendable {
        var payload: EventPayload
        var stream: StreamName
        var topicType: String
        var time: Timestamp?
    }

    private(set) var staged: [Staged] = []

    init() {}

    /// Stages an event; it is written, with its stream's next `seq`, when the transaction commits.
    /// `time` is when it happened (default: when it is written).
    package mutating func publish(_ payload: EventPayload, time: Timestamp? = nil) throws(PublishError) {
        guard let stream = payload.stream, let topicType = payload.topicType else {
            throw PublishError.unpublishable(payload.eventType.rawValue)
        }
        staged.append(Staged(payload: payload, stream: stream, topicType: topicType, time: time))
    }

    /// How many events are staged.
    package var count: Int { staged.count }
}

/// Why an event could not be published.
package enum PublishError: Error, Sendable, CustomStringConvertible {
    /// The payload has no stream or topic (an unrecognized event read from elsewhere).
    case unpublishable(String)

    package var description: String {
        switch self {
        case .unpublishable(let type): "an event of type \(type) has no stream and cannot be published"
        }
    }
}

/// An event as the outbox recorded it.
package struct PublishedEvent: Sendable, Hashable {
    package var id: EventID
    package var stream: StreamName
    package var seq: UInt64
    /// Its place in the outbox, in commit order.
    package var position: Int64
}
