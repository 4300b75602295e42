/// The plain case of the commonest bus message, read without Codable's containers.
///
/// Decoding through `BusEvent`'s Codable conformance spends most of its time in the containers'
/// generic machinery (boxes, type checks, key strings), not in the JSON: about 40 % of a
/// consumer's CPU at full speed. A signal event, the bus's bulk, whose every field is present
/// with the right type and keeps every rule, is read here field by field straight from the tape.
/// Anything else (another payload, a missing or mistyped field, a broken rule) returns nil, and
/// the Codable path decodes it or throws the error that names the field and the rule: so both
/// paths accept exactly the same messages, and the errors have one source.
extension TapeDecoder {
    /// The document as a signal event, or nil for the general path to decode.
    func plainSignalEvent() -> BusEvent? {
        guard nodes[0].kind == .object, let header = plainHeader(), header.type == .signalRecorded,
            let data = field("data", in: 0), let signal = plainSignal(at: data)
        else { return nil }
        return BusEvent(header: header, payload: .signalRecorded(signal))
    }

    private func plainHeader() -> EnvelopeHeader? {
        guard let dataContentType = string("datacontenttype", in: 0),
            let id = parsed("id", in: 0, EventID.parse),
            let publisher = string("publisher", in: 0),
            let schemaVersion = integer(Int.self, "schemaversion", in: 0),
            let seq = integer(UInt64.self, "seq", in: 0),
            let source = string("source", in: 0),
            let specVersion = string("specversion", in: 0),
            let stream = parsed("stream", in: 0, StreamName.parse),
            let time = parsed("time", in: 0, Timestamp.parse),
            let type = string("type", in: 0).map(EventType.init(rawValue:))
        else { return nil }
        let header = EnvelopeHeader(
            id: id,
            source: source,
            type: type,
            time: time,
            publisher: publisher,
            stream: stream,
            seq: seq,
            schemaVersion: schemaVersion
        )
        guard header.brokenRule(specVersion: specVersion, dataContentType: dataContentType) == nil else { return nil }
        return header
    }

    /// A signal as its synthesized `init(from:)` reads it: optional fields absent or null are nil.
    private func plainSignal(at object: Int) -> Signal? {
        guard nodes[object].kind == .object,
            let accountDomain = optionalString("accountDomain", in: object),
            let accountID = optionalString("accountID", in: object),
            let id = string("id", in: object),
            let kind = string("kind", in: object),
            let occurredAt = parsed("occurredAt", in: object, Timestamp.parse),
            let personEmail = optionalString("personEmail", in: object),
            let propertiesNode = field("properties", in: object), nodes[propertiesNode].kind == .object,
            let properties = try? [String: PropertyValue](tape: self, object: propertiesNode),
            let source = string("source", in: object),
            let stakeholderID = optionalString("stakeholderID", in: object)
        else { return nil }
        return Signal(
            id: id,
            source: SignalSource(rawValue: source),
            kind: kind,
            occurredAt: occurredAt,
            accountID: accountID,
            accountDomain: accountDomain,
            personEmail: personEmail,
            stakeholderID: stakeholderID,
            properties: properties
        )
    }

    private func string(_ name: StaticString, in object: Int) -> String? {
        guard let node = field(name, in: object), nodes[node].kind == .string else { return nil }
        return text(of: node)
    }

    /// `.some(nil)` when absent or null, `.some(text)` for a string, nil for anything else.
    private func optionalString(_ name: StaticString, in object: Int) -> String?? {
        guard let node = field(name, in: object), nodes[node].kind != .null else { return .some(nil) }
        guard nodes[node].kind == .string else { return nil }
        return .some(text(of: node))
    }

    private func integer<Integer: FixedWidthInteger>(
        _ type: Integer.Type,
        _ name: StaticString,
        in object: Int
    ) -> Integer? {
        guard let node = field(name, in: object), nodes[node].kind == .number, nodes[node].flag else { return nil }
        return integerValue(type, nodes[node])
    }

    private func parsed<Value>(
        _ name: StaticString,
        in object: Int,
        _ parse: (UnsafeBufferPointer<UInt8>) -> Result<Value, MessageDecodingError>
    ) -> Value? {
        guard let node = field(name, in: object), case .success(let value)? = parsedText(at: node, parse) else {
            return nil
        }
        return value
    }
}
