import Foundation
import ZeroMQ

/// One JSON line printed by `peer.py`: `{"event": "message", "frames": ["00ff", ""]}`.
///
/// Which fields are present depends on the event; frames travel as hex so that any bytes
/// survive the trip.
struct PeerEvent: Decodable, Sendable, Equatable {
    /// `version`, `bound`, `message`, `sent`, `handshake`, `timeout` or `done`.
    var event: String
    /// `bound`: the endpoint the peer bound, wildcards resolved.
    var endpoint: String?
    /// `message`: the frames received, in hex.
    var frames: [String]?
    /// `message` on a DEALER peer: the routing id of the socket that received it.
    var socket: String?
    /// `handshake`: `succeeded`, `failed-authentication`, `failed-protocol` or `failed-no-detail`.
    var outcome: String?
    /// `handshake`: the monitor event's value (the ZAP status code for an authentication failure).
    var value: Int?
    /// `sent`: how many messages were sent.
    var count: Int?
    /// `version`: pyzmq's version, the version of the libzmq it bundles, and whether CURVE works.
    var pyzmq: String?
    var libzmq: String?
    var curve: Bool?

    /// The frames of a `message` event as a ``Message``; `nil` for other events.
    var message: Message? {
        guard let frames else { return nil }
        return Message(frames: frames.map { Hex.decode($0) ?? Array("<not hex: \($0)>".utf8) })
    }
}

/// Frames as the peer exchanges them: lowercase hex text.
enum Hex {
    /// `bytes` as lowercase hex.
    static func encode(_ bytes: [UInt8]) -> String {
        String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// The bytes of hex `text`, or `nil` when it is not hex.
    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let high = value(characters[index]), let low = value(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// `messages` as `peer.py --messages` takes them: a JSON list of lists of hex frames.
    static func json(_ messages: [Message]) -> String {
        let lists = messages.map { $0.frames.map(encode) }
        // Encoding an array of arrays of strings cannot fail.
        let data = try! JSONEncoder().encode(lists)
        return String(decoding: data, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef")

    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
