import Foundation

/// The bus codec's encoder: a Codable `Encoder` that writes JSON straight into a `JSONOutput`,
/// with object keys sorted as Foundation's `.sortedKeys` sorts them (by UTF-8 bytes).
///
/// Each value is written as soon as it is encoded. An object's fields usually arrive in
/// declaration order, not key order, so the encoder records where each field's bytes start and
/// end and, when the object closes, rewrites the fields in key order if they were not already in
/// it; a key encoded twice keeps its last value, as in Foundation.
///
/// Streaming relies on values being encoded depth first, each finished before its parent moves
/// on. Nested containers and super encoders (`nestedContainer(keyedBy:forKey:)`, `superEncoder()`)
/// break that rule, so when a value uses one, the encoder marks `needsTree` and the caller
/// encodes the value again with `TreeEncoder`, which builds the whole tree first as Foundation does.
final class StreamingEncoder: Encoder {
    /// Guards against runaway recursion in self-referential values; Foundation's writer stops at 512 as well.
    static let maxDepth = 512

    let output: JSONOutput
    let userInfo: [CodingUserInfoKey: Any]

    // The mutable state below is touched for every field. An encoder belongs to one encoding call
    // on one thread, and its state is only changed between calls into the value's own code, never
    // across them, so dynamic exclusivity checks would only cost time.

    /// Set when the value needs a container API that streaming cannot honour.
    @exclusivity(unchecked) var needsTree = false
    /// Whether the value finished last was one that encoded nothing (written as `{}`).
    @exclusivity(unchecked) private var finishedEmpty = false
    /// The value being encoded now.
    @exclusivity(unchecked) var frame = Frame()
    @exclusivity(unchecked) private var lastSerial: UInt32 = 0
    @exclusivity(unchecked) var depth = 0
    /// The fields of every open object, innermost object last.
    @exclusivity(unchecked) private var entries = GrowableBuffer<Entry>(capacity: 32)
    /// The path to the value being encoded: for a field, the output position of its key's
    /// opening quote; for an element, `-1 - index`. Keys are read back from the output only
    /// when a path is asked for, so keeping the path costs no string copies.
    @exclusivity(unchecked) var pathMarks = GrowableBuffer<Int>(capacity: 8)
    /// Where `sortFields` copies an object's fields; allocated on first use, as most objects arrive sorted.
    @exclusivity(unchecked) private var scratch: GrowableBuffer<UInt8>?

    /// What a value turned out to be, and where its bytes start.
    struct Frame {
        enum Kind { case empty, keyed, unkeyed, single, singleWritten }
        var kind = Kind.empty
        /// The output position where the value starts.
        var start = 0
        /// The index in `entries` of the object's first field.
        var entryBase = 0
        /// Fields or elements written so far.
        var count = 0
        /// Whether the object's fields have arrived in key order so far.
        var inKeyOrder = true
        /// Identifies the value, so a container used outside it is noticed.
        var serial: UInt32 = 0
    }

    /// One field of an object: `"key":value` from `start` to `end`, the key's closing quote at
    /// `keyEnd`, and the key's first eight bytes as a big-endian number for quick comparisons.
    struct Entry {
        var start: Int
        var keyEnd: Int
        var end: Int
        var prefix: UInt64
        var keyEscaped: Bool
    }

    /// Raised to abandon streaming; the caller checks `needsTree` rather than relying on this
    /// reaching it, since a value's own code may catch it.
    struct NeedsTree: Error {}

    init(output: JSONOutput, userInfo: [CodingUserInfoKey: Any]) {
        self.output = output
        self.userInfo = userInfo
    }

    deinit {
        entries.deallocate()
        pathMarks.deallocate()
        scratch?.deallocate()
    }

    var codingPath: [any CodingKey] {
        (0..<pathMarks.count).map { index in
            let mark = pathMarks[index]
            return mark < 0 ? PathKey(intValue: -1 - mark) : PathKey(stringValue: keyText(atQuote: mark))
        }
    }

    /// The path, as steps, for errors and the fallback encoder.
    var pathSteps: [CodingPathStep] {
        (0..<pathMarks.count).map { index in
            let mark = pathMarks[index]
            return mark < 0 ? .index(-1 - mark) : .key(keyText(atQuote: mark))
        }
    }

    /// The key written at an output position.
    private func keyText(atQuote quote: Int) -> String {
        var end = quote + 1
        while output.base[end] != UInt8(ascii: "\"") {
            end += output.base[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        return String(decoding: output.unescapedString(from: quote + 1, to: end), as: UTF8.self)
    }

    @inline(__always)
    func pushIndex(_ index: Int) {
        pathMarks.append(-1 - index)
    }

    @inline(__always)
    func popPath() {
        pathMarks.truncate(to: pathMarks.count - 1)
    }

    // MARK: - Values

    /// Encodes a top-level value; Foundation refuses one that encodes nothing.
    func encodeTopLevel<T: Encodable>(_ value: T) throws {
        finishedEmpty = false
        try encodeValue(value)
        if finishedEmpty {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: [],
                    debugDescription: "Top-level \(T.self) did not encode any values."
                )
            )
        }
    }

    /// Encodes one value in place.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if try encodeKnownValue(value) { return }
        // Only dictionaries are string-keyed dictionaries, and every dictionary is one pointer wide:
        // checking the size first spares most values a protocol conformance lookup.
        if MemoryLayout<T>.size == MemoryLayout<[String: Int]>.size,
            let dictionaryType = T.self as? any StringKeyedEncodable.Type
        {
            try encodeDictionary(value, as: dictionaryType)
            return
        }
        let parent = frame
        lastSerial &+= 1
        frame = Frame(start: output.count, entryBase: entries.count, serial: lastSerial)
        depth += 1
        defer {
            depth -= 1
            frame = parent
        }
        guard depth <= Self.maxDepth else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "nested deeper than \(Self.maxDepth) levels"
                )
            )
        }
        do {
            try value.encode(to: self)
            if depth == 1, frame.kind == .empty { finishedEmpty = true }
            finishFrame()
        } catch {
            output.count = frame.start
            entries.truncate(to: frame.entryBase)
            throw error
        }
    }

    private func finishFrame() {
        switch frame.kind {
        case .empty, .single: output.append("{}")
        case .singleWritten: break
        case .keyed: closeObject()
        case .unkeyed: output.append(UInt8(ascii: "]"))
        }
    }

    /// Fails a double or float that JSON cannot hold, with Foundation's message.
    func checkFinite<F: BinaryFloatingPoint>(_ value: F, at step: CodingPathStep?) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: codingPath + (step.map { [$0.codingKey] } ?? []),
                    debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."
                )
            )
        }
    }

    // MARK: - Objects

    /// Starts a field of the current object, pushes its key onto the path, and returns the
    /// output position to roll back to.
    func beginField(_ name: String, serial: UInt32) throws -> Int {
        guard frame.serial == serial, frame.kind == .keyed else {
            needsTree = true
            throw NeedsTree()
        }
        let rollback = output.count
        if frame.count > 0 { output.append(UInt8(ascii: ",")) }
        let start = output.count
        let escaped = output.appendString(name)
        output.append(UInt8(ascii: ":"))
        let keyLength = output.count - start - 3
        // Eight bytes from the key's start are readable once eight more are reserved; bytes past
        // the key are masked off.
        output.reserve(8)
        let loaded = UInt64(bigEndian: UnsafeRawPointer(output.base + start + 1).loadUnaligned(as: UInt64.self))
        let prefix = keyLength >= 8 ? loaded : loaded & ~(UInt64.max >> UInt64(keyLength * 8))
        let entry = Entry(start: start, keyEnd: output.count - 2, end: 0, prefix: prefix, keyEscaped: escaped)
        if frame.inKeyOrder, frame.count > 0, let previous = entries.last {
            frame.inKeyOrder = precedes(previous, entry)
        }
        entries.append(entry)
        frame.count += 1
        pathMarks.append(start)
        return rollback
    }

    /// Ends the field begun last and pops its key from the path.
    @inline(__always)
    func endField() {
        entries[entries.count - 1].end = output.count
        popPath()
    }

    /// Undoes a field whose value failed to encode.
    func abandonField(rollback: Int) {
        popPath()
        output.count = rollback
        entries.truncate(to: entries.count - 1)
        frame.count -= 1
    }

    private func closeObject() {
        if !frame.inKeyOrder { sortFields() }
        output.append(UInt8(ascii: "}"))
        entries.truncate(to: frame.entryBase)
    }

    /// Rewrites the current object's fields in key order, keeping the last of any repeated key.
    private func sortFields() {
        let base = frame.entryBase
        let fieldCount = entries.count - base
        withUnsafeTemporaryAllocation(of: Int.self, capacity: fieldCount) { order in
            // Insertion sort: objects are small, and it is stable, so of equal keys the one
            // encoded last stays last and is the one kept.
            for index in 0..<fieldCount {
                let entry = entries[base + index]
                var position = index
                while position > 0, precedes(entry, entries[base + order[position - 1]]) {
                    order[position] = order[position - 1]
                    position -= 1
                }
                order[position] = index
            }
            // Of equal keys, now adjacent, all but the last are dropped; decided before the
            // bytes are rewritten, since comparing keys reads them from the output.
            for position in 0..<fieldCount {
                let superseded =
                    position + 1 < fieldCount
                    && compareKeys(entries[base + order[position]], entries[base + order[position + 1]]) == 0
                if superseded { order[position] = -1 }
            }
            let regionStart = frame.start + 1
            var copy = scratch ?? GrowableBuffer<UInt8>(capacity: 512)
            copy.truncate(to: 0)
            copy.append(contentsOf: output.base + regionStart, count: output.count - regionStart)
            scratch = copy
            output.count = regionStart
            var first = true
            for position in 0..<fieldCount where order[position] >= 0 {
                let entry = entries[base + order[position]]
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(copy.base + (entry.start - regionStart), count: entry.end - entry.start)
            }
        }
    }

    /// Whether `left`'s key sorts strictly before `right`'s.
    @inline(__always)
    private func precedes(_ left: Entry, _ right: Entry) -> Bool {
        if left.prefix != right.prefix, !left.keyEscaped, !right.keyEscaped { return left.prefix < right.prefix }
        return compareKeys(left, right) < 0
    }

    /// Compares two fields' keys by their UTF-8 bytes, as Foundation's `.sortedKeys` does.
    private func compareKeys(_ left: Entry, _ right: Entry) -> Int {
        if left.keyEscaped || right.keyEscaped {
            let leftKey = output.unescapedString(from: left.start + 1, to: left.keyEnd)
            let rightKey = output.unescapedString(from: right.start + 1, to: right.keyEnd)
            return leftKey.lexicographicallyPrecedes(rightKey) ? -1 : (leftKey == rightKey ? 0 : 1)
        }
        return JSONOutput.compare(
            output.base + left.start + 1,
            left.keyEnd - left.start - 1,
            output.base + right.start + 1,
            right.keyEnd - right.start - 1
        )
    }

    // MARK: - Arrays and single values

    /// Starts an element of the current array, pushes its index onto the path, and returns the
    /// output position to roll back to.
    func beginElement(serial: UInt32) throws -> Int {
        guard frame.serial == serial, frame.kind == .unkeyed else {
            needsTree = true
            throw NeedsTree()
        }
        let rollback = output.count
        if frame.count > 0 { output.append(UInt8(ascii: ",")) }
        frame.count += 1
        return rollback
    }

    func abandonElement(rollback: Int) {
        output.count = rollback
        frame.count -= 1
    }

    /// Checks that a single value container may write its value now.
    func beginSingleValue(serial: UInt32) throws {
        guard frame.serial == serial, frame.kind == .single else {
            needsTree = true
            throw NeedsTree()
        }
        frame.kind = .singleWritten
    }

    // MARK: - Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch frame.kind {
        case .empty:
            output.append(UInt8(ascii: "{"))
            frame.kind = .keyed
        case .keyed: break
        default: needsTree = true
        }
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(encoder: self, serial: frame.serial))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch frame.kind {
        case .empty:
            output.append(UInt8(ascii: "["))
            frame.kind = .unkeyed
        case .unkeyed: break
        default: needsTree = true
        }
        return StreamingUnkeyedContainer(encoder: self, serial: frame.serial)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        switch frame.kind {
        case .empty: frame.kind = .single
        case .single: break
        default: needsTree = true
        }
        return StreamingSingleValueContainer(encoder: self, serial: frame.serial)
    }

    /// What nested containers and super encoders hand out: a sink whose contents are discarded,
    /// since the value will be encoded again with `TreeEncoder`.
    func discardingEncoder() -> TreeEncoder {
        needsTree = true
        return TreeEncoder(path: pathSteps, userInfo: userInfo)
    }
}
