/// A bus topic, `<family>.<bucket>.<type>`, such as `signal.3f.page-viewed`: the first frame of
/// every bus message, which ZeroMQ subscribers filter by prefix.
package struct Topic: Hashable, Sendable, CustomStringConvertible {
    /// The stream: family and bucket.
    package var stream: StreamName
    /// The last segment: 1 to 64 characters of `a-z`, `0-9` and `-`.
    package let type: String

    /// The longest topic: a 32-character family, a bucket, a 64-character type and two dots.
    package static let maxLength = 32 + 1 + 2 + 1 + 64

    /// A topic in a stream; throws if `type` breaks the segment rule.
    package init(stream: StreamName, type: String) throws(MessageDecodingError) {
        guard (1...64).contains(type.utf8.count), type.utf8.allSatisfy(TopicSegmentRule.isAllowed) else {
            throw TopicSegmentRule.error("the type must be 1 to 64 characters of a-z, 0-9 and -")
        }
        self.stream = stream
        self.type = type
    }

    /// Parses a topic from text.
    package init(_ text: String) throws(MessageDecodingError) {
        var text = text
        self = try text.withUTF8 { Self.parse($0) }.get()
    }

    /// Parses a topic from the bytes of a message frame.
    package init(bytes: some Collection<UInt8>) throws(MessageDecodingError) {
        let parsed =
            bytes.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { Self.parse($0) }
        self = try parsed.get()
    }

    /// `signal.3f.page-viewed`.
    package var description: String { "\(stream).\(type)" }

    /// The topic as frame bytes.
    package var bytes: [UInt8] { Array(description.utf8) }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Topic, MessageDecodingError> {
        guard bytes.count <= maxLength else {
            return .failure(TopicSegmentRule.error("longer than \(maxLength) bytes"))
        }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else {
            return .failure(TopicSegmentRule.error("expected 3 dot-separated parts, found \(dots.count + 1)"))
        }
        let type = bytes[(dots[1] + 1)...]
        guard (1...64).contains(type.count), type.allSatisfy(TopicSegmentRule.isAllowed) else {
            return .failure(TopicSegmentRule.error("the type must be 1 to 64 characters of a-z, 0-9 and -"))
        }
        return StreamName.parse(family: bytes[..<dots[0]], bucket: bytes[(dots[0] + 1)..<dots[1]]).map { stream in
            Topic(validated: stream, type: String(decoding: type, as: UTF8.self))
        }
    }

    private init(validated stream: StreamName, type: String) {
        self.stream = stream
        self.type = type
    }
}
