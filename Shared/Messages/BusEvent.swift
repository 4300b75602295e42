import Foundation

/// A bus message of any type: the header and a payload decoded according to the header's `type`.
///
/// Decoding reads `type` and `schemaversion` first. An unknown `type` gives an
/// `.unrecognized` payload with the header intact, never an error; a known type with an
/// unsupported `schemaversion` is a `MessageDecodingError` with code `.unsupportedSchemaVersion`.
package struct BusEvent: Hashable, Sendable {
    /// The attributes around the payload.
    package var header: EnvelopeHeader
    /// The payload.
    package var payload: EventPayload

    /// An event from its parts; `header.type` must be `payload.eventType` for it to encode.
    package init(header: EnvelopeHeader, payload: EventPayload) {
        self.header = header
        self.payload = payload
    }

    /// The topic to publish the event under: the header's stream and the payload's topic type.
    package func topic() throws(MessageDecodingError) -> Topic {
        guard let type = payload.topicType else {
            throw MessageDecodingError(code: .invalidValue, path: "type", reason: "an unrecognized event has no topic")
        }
        return try Topic(stream: header.stream, type: type)
    }
}

extension BusEvent: Codable {
    /// Reads the header, then `data` as the payload its `type` names.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeField.self)
        header = try EnvelopeHeader(from: container)
        switch header.type {
        case .signalRecorded: payload = .signalRecorded(try container.decode(Signal.self, forKey: .data))
        case .accountRegistered: payload = .accountRegistered(try container.decode(Account.self, forKey: .data))
        case .accountUpdated: payload = .accountUpdated(try container.decode(Account.self, forKey: .data))
        case .stakeholderIdentified:
            payload = .stakeholderIdentified(try container.decode(Stakeholder.self, forKey: .data))
        case .projectOpened: payload = .projectOpened(try container.decode(SalesProject.self, forKey: .data))
        case .projectUpdated: payload = .projectUpdated(try container.decode(SalesProject.self, forKey: .data))
        case .milestonePlanned: payload = .milestonePlanned(try container.decode(Milestone.self, forKey: .data))
        case .milestoneAchieved: payload = .milestoneAchieved(try container.decode(Milestone.self, forKey: .data))
        case .unknown(let type): payload = .unrecognized(type: type)
        }
    }

    /// Writes the header's fields and the payload as `data`; throws for unrecognized payloads or a mismatched `type`.

    package func encode(to encoder: any Encoder) throws {
        guard header.type == payload.eventType, case .none = unrecognizedType else {
            throw EncodingError.invalidValue(
                self,
                EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription:
                        "`type` \(header.type.rawValue) does not match a payload of \(payload.eventType.rawValue), or the payload was not recognized"
                )
            )
        }
        var container = encoder.container(keyedBy: EnvelopeField.self)
        // `data` sorts before every header field; see `EnvelopeHeader.encode(to:)`.
        switch payload {
        case .signalRecorded(let signal): try container.encode(signal, forKey: .data)
        case .accountRegistered(let account), .accountUpdated(let account): try container.encode(account, forKey: .data)
        case .stakeholderIdentified(let stakeholder): try container.encode(stakeholder, forKey: .data)
        case .projectOpened(let project), .projectUpdated(let project): try container.encode(project, forKey: .data)
        case .milestonePlanned(let milestone), .milestoneAchieved(let milestone):
            try container.encode(milestone, forKey: .data)
        case .unrecognized: break
        }
        try header.encode(to: &container)
    }

    private var unrecognizedType: String? {
        if case .unrecognized(let type) = payload { return type }
        return nil
    }
}
