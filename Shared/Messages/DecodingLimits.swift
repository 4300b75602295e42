/// The bounds the bus decoder enforces on every input, so no message can cost unbounded memory or time.
package struct DecodingLimits: Hashable, Sendable {
    /// The largest input accepted, in bytes; at most 2^31. Default 1 MiB.
    package var maxInputBytes: Int
    /// The deepest nesting of objects and arrays accepted; at most 512. Default 32.
    package var maxDepth: Int
    /// The longest string or field name accepted, in bytes as written (escapes included). Default 64 KiB.
    package var maxStringBytes: Int

    /// The limits of the Huddle bus.
    package static let standard = DecodingLimits()

    /// Limits with the given bounds; out-of-range values are clamped to what the decoder supports.
    package init(maxInputBytes: Int = 1 << 20, maxDepth: Int = 32, maxStringBytes: Int = 64 << 10) {
        self.maxInputBytes = min(max(maxInputBytes, 0), 1 << 31)
        self.maxDepth = min(max(maxDepth, 1), 512)
        self.maxStringBytes = max(maxStringBytes, 0)
    }
}
