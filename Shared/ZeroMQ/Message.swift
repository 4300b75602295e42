/// A ZeroMQ message: one or more frames, delivered atomically (all frames or none).
public struct Message: Sendable, Hashable {
    /// The frames, in order. Huddle's bus messages are `[topic, envelope]`.
    public var frames: [[UInt8]]

    /// A message of the given frames.
    public init(frames: [[UInt8]]) {
        self.frames = frames
    }

    /// A message of the given frames.
    public init(_ frames: [UInt8]...) {
        self.frames = frames
    }

    /// A message whose frames are the UTF-8 bytes of `strings`.
    public init(strings: [String]) {
        self.frames = strings.map { Array($0.utf8) }
    }

    /// The total number of payload bytes over all frames.
    public var byteCount: Int { frames.reduce(0) { $0 + $1.count } }

    /// The frame at `index` decoded as UTF-8 (invalid sequences repaired), or `nil` past the end.
    public func string(at index: Int) -> String? {
        frames.indices.contains(index) ? String(decoding: frames[index], as: UTF8.self) : nil
    }
}

/// Caps on what one received message may hold, so a hostile or broken peer cannot make a
/// receiver allocate without bound.
///
/// libzmq's own `maximumMessageSize` option limits each *frame* and disconnects the peer
/// without delivering anything; these limits apply to the whole message, after delivery, so
/// the application sees — and can report — what was too big. The rest of an over-limit
/// message is drained, so the socket stays in step.
public struct ReceiveLimits: Sendable, Hashable {
    /// The most frames one message may have.
    public var maxFrames: Int
    /// The most payload bytes one message may have, over all frames.
    public var maxBytes: Int

    /// Limits of `maxFrames` frames and `maxBytes` bytes.
    public init(maxFrames: Int, maxBytes: Int) {
        self.maxFrames = maxFrames
        self.maxBytes = maxBytes
    }

    /// 64 frames and 4 MiB: far above anything Huddle sends, far below what would hurt.
    public static let `default` = ReceiveLimits(maxFrames: 64, maxBytes: 4 << 20)
}
