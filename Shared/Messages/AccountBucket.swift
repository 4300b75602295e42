/// The partition of the bus an event falls in: a fixed hash of its account id, or `--` for
/// events not tied to an account.
///
/// The rule, so any publisher can compute the same bucket: take the FNV-1a 32-bit hash of the
/// account id's UTF-8 bytes (start from 2166136261; for each byte, XOR it in, then multiply by
/// 16777619 modulo 2^32), take it modulo 256, and write that as two lowercase hex digits. In Python:
///
///     h = 2166136261
///     for b in account_id.encode("utf-8"):
///         h = ((h ^ b) * 16777619) % 2**32
///     bucket = format(h % 256, "02x")
package struct AccountBucket: Hashable, Sendable, CustomStringConvertible {
    /// The bucket number, 0...255; nil for the bucket of events not tied to an account.
    package let index: UInt8?

    /// The bucket of events not tied to an account, written `--`.
    package static let noAccount = AccountBucket(index: nil)

    /// The 256 account buckets, `00` to `ff`; a partitioned consumer owns a subset of them.
    package static let all: [AccountBucket] = (0...255).map { AccountBucket(index: UInt8($0)) }

    /// The bucket with this number.
    package init(index: UInt8) {
        self.index = index
    }

    private init(index: UInt8?) {
        self.index = index
    }

    /// The bucket of an account, by the rule above.
    package init(accountID: String) {
        index = UInt8(truncatingIfNeeded: Self.fnv1a32(accountID.utf8))
    }

    /// Parses the two-character form: two lowercase hex digits, or `--`.
    package init(_ text: String) throws(MessageDecodingError) {
        var text = text
        guard let bucket = text.withUTF8({ Self.parse($0[...]) }) else {
            throw TopicSegmentRule.error("the bucket must be two lowercase hex digits or --")
        }
        self = bucket
    }

    /// `3f`, or `--` for events not tied to an account.
    package var description: String {
        String(unsafeUninitializedCapacity: 2) { buffer in
            buffer[0] = digit(high: true)
            buffer[1] = digit(high: false)
            return 2
        }
    }

    /// Writes the two characters.
    func write(to output: JSONOutput) {
        output.append(digit(high: true))
        output.append(digit(high: false))
    }

    /// The bucket's two characters.
    var characters: (UInt8, UInt8) { (digit(high: true), digit(high: false)) }

    private func digit(high: Bool) -> UInt8 {
        guard let index else { return UInt8(ascii: "-") }
        let nibble = high ? index >> 4 : index & 0xF
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// The FNV-1a 32-bit hash of some bytes.
    package static func fnv1a32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }

    static func parse(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> AccountBucket? {
        guard bytes.count == 2 else { return nil }
        if bytes.allSatisfy({ $0 == UInt8(ascii: "-") }) { return .noAccount }
        var value: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | (byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | (byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return AccountBucket(index: value)
    }
}
