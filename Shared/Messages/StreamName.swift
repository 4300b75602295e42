/// A stream of the bus: the `<family>.<bucket>` prefix of a topic, such as `signal.3f`.
///
/// Sequence numbers are kept per (publisher, stream), gap-free from 1; consumers subscribe to
/// whole streams with `topicPrefix`, so they see every sequence number of every stream they follow.
package struct StreamName: Hashable, Sendable, CustomStringConvertible {
    /// The topic family.
    package var family: TopicFamily
    /// The account bucket.
    package var bucket: AccountBucket

    /// The stream of a family and a bucket.
    package init(family: TopicFamily, bucket: AccountBucket) {
        self.family = family
        self.bucket = bucket
    }

    /// Parses `<family>.<bucket>`.
    package init(_ text: String) throws(MessageDecodingError) {
        var text = text
        self = try text.withUTF8 { Self.parse($0) }.get()
    }

    /// `signal.3f`.
    package var description: String { "\(family.name).\(bucket)" }

    /// The ZeroMQ subscription prefix that selects exactly this stream: `signal.3f.`.
    package var topicPrefix: [UInt8] { Array("\(description).".utf8) }

    /// Whether `topic` starts with ``topicPrefix``; checked for every message a consumer takes in,
    /// so without building the prefix.
    package func isPrefix(of topic: [UInt8]) -> Bool {
        guard topic.starts(with: family.name.utf8) else { return false }
        let dot = family.name.utf8.count
        let (high, low) = bucket.characters
        return topic.count > dot + 3 && topic[dot] == UInt8(ascii: ".") && topic[dot + 1] == high
            && topic[dot + 2] == low && topic[dot + 3] == UInt8(ascii: ".")
    }

    /// Writes the stream as a JSON string; its characters never need escaping.
    func write(to output: JSONOutput) {
        output.append(UInt8(ascii: "\""))
        output.appendText(family.name)
        output.append(UInt8(ascii: "."))
        bucket.write(to: output)
        output.append(UInt8(ascii: "\""))
    }

    /// Parses `<family>.<bucket>` from bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<StreamName, MessageDecodingError> {
        // The bucket is always two characters, so the dot is third from the end.
        guard bytes.count >= 4, bytes[bytes.count - 3] == UInt8(ascii: "."),
            !bytes[..<(bytes.count - 3)].contains(UInt8(ascii: "."))
        else {
            return .failure(TopicSegmentRule.error("a stream is <family>.<bucket>, with a two-character bucket"))
        }
        return parse(family: bytes[..<(bytes.count - 3)], bucket: bytes[(bytes.count - 2)...])
    }

    static func parse(
        family: Slice<UnsafeBufferPointer<UInt8>>,
        bucket: Slice<UnsafeBufferPointer<UInt8>>
    ) -> Result<StreamName, MessageDecodingError> {
        guard let topicFamily = TopicFamily(utf8: family) else {
            return .failure(
                TopicSegmentRule.error(
                    "the family must be 1 to 32 characters of a-z, 0-9 and -, starting with a letter"
                )
            )
        }
        guard let accountBucket = AccountBucket.parse(bucket) else {
            return .failure(TopicSegmentRule.error("the bucket must be two lowercase hex digits or --"))
        }
        return .success(StreamName(family: topicFamily, bucket: accountBucket))
    }
}

extension StreamName: Codable {
    /// Reads `<family>.<bucket>` from a JSON string.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.huddle(error.code, error.reason, at: container.codingPath)
        }
    }

    /// Writes `<family>.<bucket>` as a JSON string.

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
