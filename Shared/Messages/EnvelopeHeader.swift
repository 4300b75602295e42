import Foundation

/// The attributes every bus message carries around its payload: the CloudEvents 1.0 context
/// attributes (`id`, `source`, `type`, `time`, plus the fixed `specversion` and
/// `datacontenttype`) and Huddle's extensions `publisher`, `stream`, `seq` and `schemaversion`.
package struct EnvelopeHeader: Hashable, Sendable {
    /// The event's id.
    package var id: EventID
    /// Where the event comes from, a URI reference such as `/huddle/accounts`.
    package var source: String
    /// What the event announces.
    package var type: EventType
    /// When the event happened.
    package var time: Timestamp
    /// The publisher's stable id; sequence numbers count per (publisher, stream).
    package var publisher: String
    /// The stream the event belongs to.
    package var stream: StreamName
    /// The event's position in its (publisher, stream): gap-free, starting at 1.
    package var seq: UInt64
    /// The version of the payload's schema.
    package var schemaVersion: Int

    /// The only CloudEvents version Huddle writes and reads.
    package static let specVersion = "1.0"
    /// The only content type of `data` Huddle writes and reads.
    package static let dataContentType = "application/json"

    /// A header from its fields; `schemaVersion` defaults to the version this build writes for `type`.
    package init(
        id: EventID,
        source: String,
        type: EventType,
        time: Timestamp,
        publisher: String,
        stream: StreamName,
        seq: UInt64,
        schemaVersion: Int? = nil
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.publisher = publisher
        self.stream = stream
        self.seq = seq
        self.schemaVersion = schemaVersion ?? type.currentSchemaVersion ?? 1
    }

    /// `seq` as a zero-padded 20-digit string, for when it leaves Huddle as a CloudEvents
    /// attribute: CloudEvents' Integer is 32-bit, so a 64-bit counter travels as a string whose
    /// text order is its numeric order.
    package var seqAttribute: String {
        let digits = String(seq)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }

    /// Reads `seq` back from its attribute form: 1 to 20 decimal digits, at least 1.
    package static func seq(fromAttribute text: String) throws(MessageDecodingError) -> UInt64 {
        guard (1...20).contains(text.utf8.count), text.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
            let seq = UInt64(text), seq >= 1
        else {
            throw MessageDecodingError(
                code: .invalidValue,
                path: "seq",
                reason: "must be 1 to 20 decimal digits with a value of at least 1"
            )
        }
        return seq
    }
}

/// The keys of an envelope object.
enum EnvelopeField: String, CodingKey {
    case id, source, type, time, specversion, datacontenttype, data, publisher, stream, seq, schemaversion
}

extension EnvelopeHeader {
    /// Reads the header from an envelope object, enforcing the envelope's rules.
    init(from container: KeyedDecodingContainer<EnvelopeField>) throws {
        func refuse(_ field: EnvelopeField, _ code: MessageDecodingError.Code, _ reason: String) -> DecodingError {
            .huddle(code, reason, at: container.codingPath + [field])
        }
        // Read in the byte order of the names, the order the fields are written in, then checked.
        let dataContentType = try container.decode(String.self, forKey: .datacontenttype)
        id = try container.decode(EventID.self, forKey: .id)
        publisher = try container.decode(String.self, forKey: .publisher)
        schemaVersion = try container.decode(Int.self, forKey: .schemaversion)
        seq = try container.decode(UInt64.self, forKey: .seq)
        source = try container.decode(String.self, forKey: .source)
        let specVersion = try container.decode(String.self, forKey: .specversion)
        stream = try container.decode(StreamName.self, forKey: .stream)
        time = try container.decode(Timestamp.self, forKey: .time)
        type = try container.decode(EventType.self, forKey: .type)
        if let broken = brokenRule(specVersion: specVersion, dataContentType: dataContentType) {
            throw refuse(broken.field, broken.code, broken.reason)
        }
    }

    /// The first of the envelope's rules that this header, read with the envelope's fixed
    /// attributes, breaks; nil if it keeps them all.
    func brokenRule(
        specVersion: String,
        dataContentType: String
    ) -> (field: EnvelopeField, code: MessageDecodingError.Code, reason: String)? {
        guard specVersion == Self.specVersion else {
            return (.specversion, .invalidValue, "must be \"\(Self.specVersion)\"")
        }
        guard dataContentType == Self.dataContentType else {
            return (.datacontenttype, .invalidValue, "must be \"\(Self.dataContentType)\"")
        }
        guard !source.isEmpty else { return (.source, .invalidValue, "must not be empty") }
        guard !publisher.isEmpty else { return (.publisher, .invalidValue, "must not be empty") }
        guard seq >= 1 else { return (.seq, .invalidValue, "must be at least 1; sequences start at 1") }
        if let supported = type.supportedSchemaVersions, !supported.contains(schemaVersion) {
            let versions =
                supported.count == 1 ? "\(supported.lowerBound)" : "\(supported.lowerBound) to \(supported.upperBound)"
            return (
                .schemaversion, .unsupportedSchemaVersion,
                "\(type.rawValue) supports schemaversion \(versions); this message has \(schemaVersion)"
            )
        }
        return nil
    }

    /// Writes the header's fields into an envelope object.
    ///
    /// In the byte order of their names, which is the order the bus codec writes fields in, so the
    /// encoder has nothing to re-sort; the payload's `data` comes before all of them.
    func encode(to container: inout KeyedEncodingContainer<EnvelopeField>) throws {
        try container.encode(Self.dataContentType, forKey: .datacontenttype)
        try container.encode(id, forKey: .id)
        try container.encode(publisher, forKey: .publisher)
        try container.encode(schemaVersion, forKey: .schemaversion)
        try container.encode(seq, forKey: .seq)
        try container.encode(source, forKey: .source)
        try container.encode(Self.specVersion, forKey: .specversion)
        try container.encode(stream, forKey: .stream)
        try container.encode(time, forKey: .time)
        try container.encode(type, forKey: .type)
    }
}
