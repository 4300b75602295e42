import CZeroMQ

/// A CURVE key pair as Z85 text (40 characters each), for `curveServer` / `curveServerKey`.
public struct CurveKeyPair: Sendable, Hashable {
    /// The public key, safe to share.
    public let publicKey: String
    /// The secret key; keep it out of logs.
    public let secretKey: String

    /// A new random key pair (`zmq_curve_keypair`).
    public static func generate() throws(ZeroMQError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        try check("zmq_curve_keypair") { zmq_curve_keypair(&publicKey, &secretKey) }
        return CurveKeyPair(publicKey: String(z85Text: publicKey), secretKey: String(z85Text: secretKey))
    }

    /// The pair belonging to `secretKey` (`zmq_curve_public`).
    public init(secretKey: String) throws(ZeroMQError) {
        guard Z85.decode(secretKey)?.count == 32 else {
            throw ZeroMQError(
                .invalidArgument,
                "a CURVE secret key is 40 characters of Z85",
                operation: "zmq_curve_public"
            )
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        try check("zmq_curve_public") { zmq_curve_public(&publicKey, secretKey) }
        self.init(publicKey: String(z85Text: publicKey), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}

/// ZeroMQ's Z85 text encoding of binary keys (RFC 32), through libzmq.
public enum Z85 {
    /// Encodes `bytes` (a multiple of 4 bytes long); `nil` otherwise.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        guard zmq_z85_encode(&text, bytes, bytes.count) != nil else { return nil }
        return String(z85Text: text)
    }

    /// Decodes Z85 `text` (a multiple of 5 characters long, valid alphabet); `nil` otherwise.
    public static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        if characters.isEmpty { return [] }
        guard characters.count % 5 == 0, characters.allSatisfy({ alphabet.contains($0) }) else { return nil }
        var bytes = [UInt8](repeating: 0, count: characters.count * 4 / 5)
        guard zmq_z85_decode(&bytes, text) != nil else { return nil }
        return bytes
    }

    // libzmq does not check the alphabet itself, so invalid text would decode to garbage.
    private static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8
    )
}

extension String {
    fileprivate init(z85Text: [CChar]) {
        self = String(decoding: z85Text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
