/// A ZAP (ZeroMQ Authentication Protocol, RFC 27) handler that admits CURVE clients whose
/// public key is on an allow-list.
///
/// Without a ZAP handler, a CURVE server accepts *every* client that knows the server's public
/// key. Start the handler before binding CURVE server sockets in the same ``Context``. Requests
/// that do not follow the protocol are answered with status 500 (never a crash); requests for
/// other mechanisms or, when a domain is set, for other domains are denied with 400.
public final class ZAPHandler: Sendable {
    /// How many requests were answered which way.
    public struct Statistics: Sendable, Hashable {
        /// Clients admitted (status 200).
        public var accepted: UInt64 = 0
        /// Clients refused (status 400).
        public var denied: UInt64 = 0
        /// Requests that did not follow the protocol (status 500, or dropped when unanswerable).
        public var malformed: UInt64 = 0
    }

    /// The endpoint libzmq sends authentication requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    private let socket: AsyncSocket
    private let allowed: LockedState<Set<String>>
    private let counters = LockedState(Statistics())
    private let domain: String?
    private let server = LockedState<Task<Void, Never>?>(nil)

    /// Binds the handler in `context` and starts answering.
    /// - Parameters:
    ///   - allowedClientKeys: Z85 CURVE public keys (40 characters) of admitted clients.
    ///   - domain: when set, only requests for this ZAP domain can be admitted.
    public init(context: Context, allowedClientKeys: Set<String>, domain: String? = nil) async throws {
        self.allowed = LockedState(allowedClientKeys)
        self.domain = domain
        // ROUTER rather than REP: a malformed request must not wedge a request/reply state machine.
        socket = try await AsyncSocket(
            context: context,
            type: .router,
            configuration: .init(receiveLimits: ReceiveLimits(maxFrames: 16, maxBytes: 64 << 10))
        ) { try $0.bind(Self.endpoint) }
        let task = Task { [socket, weak self] in
            do {
                for try await request in socket.messages {
                    guard let self, let reply = self.answer(request.frames) else { continue }
                    try await socket.send(reply)
                }
            } catch {
                // The socket failed or closed: nothing left to answer.
            }
        }
        server.withLock { $0 = task }
    }

    /// Admits `publicKey` (Z85) from now on.
    public func allow(_ publicKey: String) {
        _ = allowed.withLock { $0.insert(publicKey) }
    }

    /// Refuses `publicKey` (Z85) from now on; established connections stay up.
    public func revoke(_ publicKey: String) {
        _ = allowed.withLock { $0.remove(publicKey) }
    }

    /// How many requests were answered which way.
    public var statistics: Statistics { counters.withLock { $0 } }

    /// Stops answering and unbinds; CURVE handshakes after this fail.
    public func close() async {
        try? await socket.close()
        let task = server.withLock { $0 }
        await task?.value
    }

    /// The reply to one request as the ROUTER received it (`[peer, "", request…]`), or `nil`
    /// when the envelope is too broken to address a reply.
    func answer(_ frames: [[UInt8]]) -> Message? {
        guard frames.count >= 2, frames[1].isEmpty else {
            counters.withLock { $0.malformed += 1 }
            return nil
        }
        let request = Array(frames.dropFirst(2))
        let requestID = request.count > 1 ? request[1] : []
        let (status, text, userID) = decide(request)
        counters.withLock { counters in
            switch status {
            case "200": counters.accepted += 1
            case "400": counters.denied += 1
            default: counters.malformed += 1
            }
        }
        return Message(
            frames: [frames[0], [], Array("1.0".utf8), requestID] + [status, text, userID, ""].map { Array($0.utf8) }
        )
    }

    private func decide(_ request: [[UInt8]]) -> (status: String, text: String, userID: String) {
        // version, request id, domain, address, routing id, mechanism, credentials…
        guard request.count >= 6 else { return ("500", "malformed request: \(request.count) frames", "") }
        guard request[0] == Array("1.0".utf8) else { return ("500", "unsupported ZAP version", "") }
        if let domain, request[2] != Array(domain.utf8) { return ("400", "unknown domain", "") }
        guard request[5] == Array("CURVE".utf8) else { return ("400", "only CURVE clients are admitted", "") }
        guard request.count == 7, request[6].count == 32, let key = Z85.encode(request[6]) else {
            return ("500", "malformed CURVE credentials", "")
        }
        guard allowed.withLock({ $0.contains(key) }) else { return ("400", "client key not allowed", "") }
        return ("200", "OK", key)
    }
}
