import Foundation
import Messages

/// A sequenced bus message as a consumer received it (live or by replay).
///
/// A class, because an event is handed along several times on its way to being applied (taken
/// in, queued, batched, recorded): as a struct each hand-off copied a dozen references with
/// their reference counts, about a tenth of a consumer's CPU at full speed.
final class IncomingEvent: Sendable {
    let key: StreamKey
    let seq: UInt64
    let topic: [UInt8]
    let envelope: [UInt8]
    /// The decoded event, or why it could not be read; such an event is still sequenced, so it is
    /// parked in the dead letters in order and the stream moves on.
    let decoded: Result<BusEvent, MessageDecodingError>

    init(
        key: StreamKey,
        seq: UInt64,
        topic: [UInt8],
        envelope: [UInt8],
        decoded: Result<BusEvent, MessageDecodingError>
    ) {
        self.key = key
        self.seq = seq
        self.topic = topic
        self.envelope = envelope
        self.decoded = decoded
    }

    /// Reads `[topic, envelope]`; nil when the envelope does not even say which publisher, stream
    /// and seq it is (garbage), with the reason.
    static func read(topic: [UInt8], envelope: [UInt8], codec: BusCodec) -> Result<IncomingEvent, MessageDecodingError>
    {
        do throws(MessageDecodingError) {
            let event = try codec.decodeEvent(from: envelope)
            guard event.header.stream.isPrefix(of: topic) else {
                throw MessageDecodingError(
                    code: .invalidValue,
                    path: "stream",
                    reason: "must be the stream of the topic \"\(String(decoding: topic, as: UTF8.self))\""
                )
            }
            let key = StreamKey(publisher: event.header.publisher, stream: event.header.stream)
            return .success(
                IncomingEvent(
                    key: key,
                    seq: event.header.seq,
                    topic: topic,
                    envelope: envelope,
                    decoded: .success(event)
                )
            )
        } catch {
            // Still sequenced if its header says where it belongs: then it is parked in order.
            guard let tag = try? JSONDecoder().decode(SequenceTag.self, from: Data(envelope)), tag.seq >= 1,
                !tag.publisher.isEmpty, let stream = try? StreamName(tag.stream), stream.isPrefix(of: topic)
            else { return .failure(error) }
            let key = StreamKey(publisher: tag.publisher, stream: stream)
            return .success(
                IncomingEvent(key: key, seq: tag.seq, topic: topic, envelope: envelope, decoded: .failure(error))
            )
        }
    }

    /// The sequencing fields of an envelope, read leniently from one that failed strict decoding.
    private struct SequenceTag: Decodable {
        var publisher: String
        var stream: String
        var seq: UInt64
    }
}

/// One (publisher, stream): the unit sequence numbers count in.
struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    var publisher: String
    var stream: StreamName

    var description: String { "\(publisher)/\(stream)" }
}
