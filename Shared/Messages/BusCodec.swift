import Foundation

/// The one codec every Huddle bus producer and consumer shares: Codable values to JSON bytes
/// and back, several times faster than Foundation's `JSONEncoder`/`JSONDecoder`.
///
/// Encoding writes exactly what `JSONEncoder` writes with `outputFormatting = [.sortedKeys,
/// .withoutEscapingSlashes]` (and default strategies), byte for byte. Decoding is strict and
/// bounded by `limits`; every failure is a `MessageDecodingError` naming the field and the rule.
///
///     let codec = BusCodec()
///     let bytes = try codec.encode(envelope)                      // Envelope<Signal> -> [UInt8]
///     let event = try codec.decode(BusEvent.self, from: bytes)    // any type -> BusEvent
package struct BusCodec: Sendable {
    /// The bounds enforced on every input.
    package var limits: DecodingLimits

    /// A codec with the given decoding limits.
    package init(limits: DecodingLimits = .standard) {
        self.limits = limits
    }

    /// Encodes a value as JSON. Throws `EncodingError` for values JSON cannot hold (NaN,
    /// infinities) and passes on errors from the value's own `encode(to:)`.
    package func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let output = JSONOutput()
        try Self.encode(value, into: output)
        return Array(output.bytes)
    }

    /// Encodes a value as JSON, appending it to `bytes`; on error `bytes` is left as it was.
    package func encode<T: Encodable>(_ value: T, appendingTo bytes: inout [UInt8]) throws {
        let output = JSONOutput()
        try Self.encode(value, into: output)
        bytes.append(contentsOf: output.bytes)
    }

    /// Encodes a bus event, exactly as `encode(_:)` does; a plain signal event is written without
    /// Codable's containers, several times faster (see `JSONOutput.appendPlainSignalEvent(_:)`).
    package func encodeEvent(_ event: BusEvent) throws -> [UInt8] {
        let output = JSONOutput()
        if !output.appendPlainSignalEvent(event) { try Self.encode(event, into: output) }
        return Array(output.bytes)
    }

    private static func encode<T: Encodable>(_ value: T, into output: JSONOutput) throws {
        let encoder = StreamingEncoder(output: output, userInfo: [:])
        do {
            try encoder.encodeTopLevel(value)
        } catch  where encoder.needsTree {
            // Encoded again below.
        }
        if encoder.needsTree {
            output.count = 0
            try TreeEncoder.encode(value, into: output, userInfo: [:])
        }
    }

    /// Decodes a value from JSON bytes (`[UInt8]`, `Data`, an `UnsafeRawBufferPointer`, ...).
    package func decode<T: Decodable>(
        _ type: T.Type,
        from bytes: some ContiguousBytes
    ) throws(MessageDecodingError) -> T {
        try Self.decode(type, from: try tape(bytes))
    }

    /// Decodes a bus message of any type; unknown types come back as `.unrecognized` payloads.
    ///
    /// A plain signal event is read straight from the tape, twice as fast; everything else, and
    /// every error, takes the Codable path (see `TapeDecoder.plainSignalEvent()`).
    package func decodeEvent(from bytes: some ContiguousBytes) throws(MessageDecodingError) -> BusEvent {
        let decoder = try tape(bytes)
        if let event = decoder.plainSignalEvent() { return event }
        return try Self.decode(BusEvent.self, from: decoder)
    }

    private func tape(_ bytes: some ContiguousBytes) throws(MessageDecodingError) -> TapeDecoder {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(MessageDecodingError) in try TapeDecoder(parsing: raw, limits: limits) }
        }.get()
    }

    private static func decode<T: Decodable>(
        _ type: T.Type,
        from decoder: TapeDecoder
    ) throws(MessageDecodingError) -> T {
        do {
            return try decoder.decodeValue(type, at: 0)
        } catch {
            throw MessageDecodingError(error)
        }
    }
}
