/// The commonest bus message written without Codable's containers, byte for byte as the Codable
/// path writes it.
///
/// Encoding a signal event through `BusEvent`'s Codable conformance spends most of its time in
/// the containers' generic machinery, about a fifth of a publisher's CPU at full speed. A signal
/// event whose header matches its payload and whose properties JSON can hold is written here
/// field by field, keys in the byte order `.sortedKeys` gives them. Anything else is left to the
/// Codable path, which writes it or throws the error (`BusCodec.encodeEvent`).
extension JSONOutput {
    /// Writes `event` and returns true, or writes nothing and returns false when it is not a plain
    /// signal event.
    func appendPlainSignalEvent(_ event: BusEvent) -> Bool {
        guard case .signalRecorded(let signal) = event.payload, event.header.type == .signalRecorded,
            signal.properties.values.allSatisfy(\.isWritable)
        else { return false }
        let header = event.header
        append(#"{"data":"#)
        appendSignal(signal)
        append(#","datacontenttype":"#)
        appendString(EnvelopeHeader.dataContentType)
        append(#","id":"#)
        append(header.id)
        append(#","publisher":"#)
        appendString(header.publisher)
        append(#","schemaversion":"#)
        appendInteger(header.schemaVersion)
        append(#","seq":"#)
        appendInteger(header.seq)
        append(#","source":"#)
        appendString(header.source)
        append(#","specversion":"#)
        appendString(EnvelopeHeader.specVersion)
        append(#","stream":"#)
        header.stream.write(to: self)
        append(#","time":"#)
        append(header.time)
        append(#","type":"#)
        appendString(header.type.rawValue)
        append(UInt8(ascii: "}"))
        return true
    }

    /// A signal as its synthesized `encode(to:)` writes it: nil optionals left out.
    private func appendSignal(_ signal: Signal) {
        append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if !first { append(UInt8(ascii: ",")) }
            first = false
            append(name)
        }
        func text(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            appendString(value)
        }
        text(#""accountDomain":"#, signal.accountDomain)
        text(#""accountID":"#, signal.accountID)
        text(#""id":"#, signal.id)
        text(#""kind":"#, signal.kind)
        key(#""occurredAt":"#)
        append(signal.occurredAt)
        text(#""personEmail":"#, signal.personEmail)
        key(#""properties":"#)
        appendProperties(signal.properties)
        text(#""source":"#, signal.source.rawValue)
        text(#""stakeholderID":"#, signal.stakeholderID)
        append(UInt8(ascii: "}"))
    }

    private func appendProperties(_ properties: [String: PropertyValue]) {
        append(UInt8(ascii: "{"))
        for (index, field) in properties.sorted(by: { JSONOutput.utf8Precedes($0.key, $1.key) }).enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            appendString(field.key)
            append(UInt8(ascii: ":"))
            switch field.value {
            case .string(let text): appendString(text)
            case .int(let number): appendInteger(number)
            case .double(let number): appendDouble(number)
            case .bool(let flag): append(flag ? "true" : "false")
            case .null: append("null")
            }
        }
        append(UInt8(ascii: "}"))
    }
}

extension PropertyValue {
    /// Whether JSON can hold the value: every one but a NaN or infinite double.
    fileprivate var isWritable: Bool {
        if case .double(let number) = self { return number.isFinite }
        return true
    }
}

// The quoted values both this writer and `StreamingEncoder`'s known values write.
extension JSONOutput {
    /// Writes a timestamp as its quoted RFC 3339 text.
    func append(_ timestamp: Timestamp) {
        append(length: Timestamp.textLength + 2) { cursor in
            cursor[0] = UInt8(ascii: "\"")
            timestamp.write(to: cursor + 1)
            cursor[Timestamp.textLength + 1] = UInt8(ascii: "\"")
        }
    }

    /// Writes an event id as its quoted UUID text.
    func append(_ id: EventID) {
        append(length: EventID.textLength + 2) { cursor in
            cursor[0] = UInt8(ascii: "\"")
            id.write(to: cursor + 1)
            cursor[EventID.textLength + 1] = UInt8(ascii: "\"")
        }
    }
}
