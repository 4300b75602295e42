/// A bus message whose payload type the receiver knows: the header's fields and `data`, as one
/// flat JSON object with CloudEvents attribute names.
///
/// Decoding enforces the header's rules, including that `schemaversion` is supported when `type`
/// is known. To receive without knowing the type in advance, decode a `BusEvent` instead.
package struct Envelope<Payload: Codable & Sendable>: Sendable {
    /// The attributes around the payload.
    package var header: EnvelopeHeader
    /// The payload, CloudEvents' `data`.
    package var data: Payload

    /// An envelope from its parts.
    package init(header: EnvelopeHeader, data: Payload) {
        self.header = header
        self.data = data
    }
}

extension Envelope: Codable {
    /// Reads the header, enforcing its rules, and `data` as `Payload`.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeField.self)
        header = try EnvelopeHeader(from: container)
        data = try container.decode(Payload.self, forKey: .data)
    }

    /// Writes the header's fields and `data` as one flat object.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeField.self)
        // `data` sorts before every header field; see `EnvelopeHeader.encode(to:)`.
        try container.encode(data, forKey: .data)
        try header.encode(to: &container)
    }
}

extension Envelope: Equatable where Payload: Equatable {}

extension Envelope: Hashable where Payload: Hashable {}
