import Messages
import ZeroMQ

/// A message from the subscription, decoded (off the consumer's own task): a heartbeat, a
/// sequenced event, or something to refuse with the reason.
enum LiveMessage: Sendable {
    case heartbeat(Heartbeat)
    case event(IncomingEvent)
    case refused(Message, reason: String, error: String)

    init(_ message: Message, codec: BusCodec) {
        guard message.frames.count == 2 else {
            self = .refused(
                message,
                reason: "frame_count",
                error: "a bus message has 2 frames, [topic, envelope]; this has \(message.frames.count)"
            )
            return
        }
        let topic = message.frames[0]
        let envelope = message.frames[1]
        if topic.elementsEqual(Heartbeat.topic.utf8) {
            if let heartbeat = try? codec.decode(Heartbeat.self, from: envelope) {
                self = .heartbeat(heartbeat)
            } else {
                self = .refused(message, reason: "bad_heartbeat", error: "a heartbeat that does not decode")
            }
            return
        }
        switch IncomingEvent.read(topic: topic, envelope: envelope, codec: codec) {
        case .success(let event): self = .event(event)
        case .failure(let error): self = .refused(message, reason: "undecodable", error: "\(error)")
        }
    }
}
