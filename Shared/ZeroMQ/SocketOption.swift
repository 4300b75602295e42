import CZeroMQ

/// A typed libzmq socket option: `socket.setOption(.sendHighWaterMark, 10_000)`.
///
/// The value type of each option is fixed by its declaration, so a key cannot be set as an
/// integer or a time-out as a byte string.
public struct SocketOption<Value: SocketOptionValue>: Sendable {
    let name: Int32
    let label: String
    /// Bytes to offer libzmq when reading; CURVE keys insist on exactly 41 (Z85 plus NUL).
    let readCapacity: Int

    init(_ name: Int32, _ label: String, readCapacity: Int = 256) {
        self.name = name
        self.label = label
        self.readCapacity = readCapacity
    }
}

/// A time-out as libzmq takes it: milliseconds, or none.
public enum Timeout: Sendable, Hashable {
    /// Wait without limit (`-1`). Never use this for `linger`: close would hang.
    case infinite
    /// Wait at most this many milliseconds; 0 returns at once.
    case milliseconds(Int32)

    /// A time-out of `duration`, rounded down to whole milliseconds.
    public static func after(_ duration: Duration) -> Timeout {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int32(clamping: max(0, milliseconds)))
    }

    var rawMilliseconds: Int32 {
        switch self {
        case .infinite: -1
        case .milliseconds(let value): value
        }
    }
}

// MARK: - The options Huddle uses

extension SocketOption where Value == Int32 {
    /// Most messages queued for sending per peer before PUB drops or others block (`ZMQ_SNDHWM`).
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// Most messages queued for receiving per peer (`ZMQ_RCVHWM`).
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM, "ZMQ_RCVHWM") }
    /// Milliseconds between reconnect attempts (`ZMQ_RECONNECT_IVL`).
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL") }
    /// Upper bound of the exponential reconnect back-off in milliseconds (`ZMQ_RECONNECT_IVL_MAX`).
    public static var reconnectIntervalMax: Self { .init(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX") }
    /// Milliseconds between ZMTP heartbeat PINGs; 0 disables (`ZMQ_HEARTBEAT_IVL`).
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL") }
    /// Milliseconds without traffic after a PING before the peer counts as dead (`ZMQ_HEARTBEAT_TIMEOUT`).
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT") }
    /// Time-to-live in milliseconds the peer should apply to this side (`ZMQ_HEARTBEAT_TTL`).
    public static var heartbeatTimeToLive: Self { .init(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL") }
    /// TCP keep-alive: -1 system default, 0 off, 1 on (`ZMQ_TCP_KEEPALIVE`).
    public static var tcpKeepAlive: Self { .init(ZMQ_TCP_KEEPALIVE, "ZMQ_TCP_KEEPALIVE") }
    /// Seconds idle before the first keep-alive probe (`ZMQ_TCP_KEEPALIVE_IDLE`).
    public static var tcpKeepAliveIdle: Self { .init(ZMQ_TCP_KEEPALIVE_IDLE, "ZMQ_TCP_KEEPALIVE_IDLE") }
    /// Seconds between keep-alive probes (`ZMQ_TCP_KEEPALIVE_INTVL`).
    public static var tcpKeepAliveInterval: Self { .init(ZMQ_TCP_KEEPALIVE_INTVL, "ZMQ_TCP_KEEPALIVE_INTVL") }
    /// Unanswered probes before the connection is dropped (`ZMQ_TCP_KEEPALIVE_CNT`).
    public static var tcpKeepAliveCount: Self { .init(ZMQ_TCP_KEEPALIVE_CNT, "ZMQ_TCP_KEEPALIVE_CNT") }
    /// The readiness flags libzmq currently reports (`ZMQ_EVENTS`, read only).
    public static var events: Self { .init(ZMQ_EVENTS, "ZMQ_EVENTS") }
}

extension SocketOption where Value == Int64 {
    /// Largest *frame* accepted from a peer; a bigger one disconnects the peer (`ZMQ_MAXMSGSIZE`).
    /// Set it well above ``ReceiveLimits`` so that over-limit messages are seen and reported.
    public static var maximumMessageSize: Self { .init(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE") }
}

extension SocketOption where Value == Timeout {
    /// How long close waits for unsent messages (`ZMQ_LINGER`); sockets start at one second.
    public static var linger: Self { .init(ZMQ_LINGER, "ZMQ_LINGER") }
    /// How long a blocking send waits before failing with `EAGAIN` (`ZMQ_SNDTIMEO`).
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    /// How long a blocking receive waits before failing with `EAGAIN` (`ZMQ_RCVTIMEO`).
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
}

extension SocketOption where Value == Bool {
    /// Queue messages only to completed connections (`ZMQ_IMMEDIATE`).
    public static var immediate: Self { .init(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") }
    /// A ROUTER fails with `EHOSTUNREACH` instead of dropping unroutable messages (`ZMQ_ROUTER_MANDATORY`).
    public static var routerMandatory: Self { .init(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY") }
    /// An XPUB blocks (or returns `EAGAIN`) at the high-water mark instead of dropping (`ZMQ_XPUB_NODROP`).
    public static var extendedPublishNoDrop: Self { .init(ZMQ_XPUB_NODROP, "ZMQ_XPUB_NODROP") }
    /// Pass every (un)subscription to the XPUB's reader, not only new ones (`ZMQ_XPUB_VERBOSE`).
    public static var extendedPublishVerbose: Self { .init(ZMQ_XPUB_VERBOSE, "ZMQ_XPUB_VERBOSE") }
    /// Act as a CURVE server (`ZMQ_CURVE_SERVER`); needs ``curveSecretKey``.
    public static var curveServer: Self { .init(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER") }
    /// Accept IPv6 as well as IPv4 (`ZMQ_IPV6`).
    public static var ipv6: Self { .init(ZMQ_IPV6, "ZMQ_IPV6") }
}

extension SocketOption where Value == [UInt8] {
    /// The identity a ROUTER peer sees for this socket (`ZMQ_ROUTING_ID`, 1–255 bytes).
    public static var routingID: Self { .init(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID") }
    /// A message an XPUB sends to every new subscriber (`ZMQ_XPUB_WELCOME_MSG`).
    public static var extendedPublishWelcomeMessage: Self { .init(ZMQ_XPUB_WELCOME_MSG, "ZMQ_XPUB_WELCOME_MSG") }
    /// Adds a subscription prefix (`ZMQ_SUBSCRIBE`, write only); prefer ``Socket/subscribe(_:)-(String)``.
    public static var subscribe: Self { .init(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE") }
    /// Removes a subscription prefix (`ZMQ_UNSUBSCRIBE`, write only).
    public static var unsubscribe: Self { .init(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE") }
}

extension SocketOption where Value == String {
    /// This socket's long-term CURVE public key, Z85 text (`ZMQ_CURVE_PUBLICKEY`).
    public static var curvePublicKey: Self { .init(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", readCapacity: 41) }
    /// This socket's long-term CURVE secret key, Z85 text (`ZMQ_CURVE_SECRETKEY`).
    public static var curveSecretKey: Self { .init(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", readCapacity: 41) }
    /// The server's CURVE public key a client connects to, Z85 text (`ZMQ_CURVE_SERVERKEY`).
    public static var curveServerKey: Self { .init(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", readCapacity: 41) }
    /// The ZAP domain sent with authentication requests (`ZMQ_ZAP_DOMAIN`).
    public static var zapDomain: Self { .init(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN") }
    /// The last endpoint bound or connected, wildcards resolved (`ZMQ_LAST_ENDPOINT`, read only).
    public static var lastEndpoint: Self { .init(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT") }
}

// MARK: - Setting and reading

extension Socket {
    /// Sets `option` to `value`.
    public func setOption<Value>(_ option: SocketOption<Value>, _ value: Value) throws(ZeroMQError) {
        let handle = try open("zmq_setsockopt(\(option.label))")
        try value.withOptionBytes { (bytes) throws(ZeroMQError) in
            try check("zmq_setsockopt(\(option.label))") {
                zmq_setsockopt(handle, option.name, bytes.baseAddress, bytes.count)
            }
        }
    }

    /// Reads the current value of `option`.
    public func option<Value>(_ option: SocketOption<Value>) throws(ZeroMQError) -> Value {
        let handle = try open("zmq_getsockopt(\(option.label))")
        return try Value(capacity: option.readCapacity) { (buffer, size) throws(ZeroMQError) in
            try check("zmq_getsockopt(\(option.label))") { zmq_getsockopt(handle, option.name, buffer, size) }
        }
    }
}

/// A Swift value that maps to a libzmq option's bytes.
public protocol SocketOptionValue: Sendable {
    /// Lends the option's raw bytes to `body`.
    func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R
    /// Reads the value with `read(buffer, &size)`, which fills at most `size` bytes and updates
    /// `size`; variable-length values offer `capacity` bytes.
    init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError)
}

/// Integer options are the integer's own bytes.
extension SocketOptionValue where Self: FixedWidthInteger {
    public func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R {
        var value = self
        return try withUnsafeBytes(of: &value) { (bytes) throws(ZeroMQError) in try body(bytes) }
    }

    public init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError) {
        var value = Self.zero
        var size = MemoryLayout<Self>.size
        try read(&value, &size)
        self = value
    }
}

extension Int32: SocketOptionValue {}
extension Int64: SocketOptionValue {}

extension Bool: SocketOptionValue {
    public func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R {
        try Int32(self ? 1 : 0).withOptionBytes(body)
    }

    public init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError) {
        self = try Int32(capacity: capacity, readingOption: read) != 0
    }
}

extension Timeout: SocketOptionValue {
    public func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R {
        try rawMilliseconds.withOptionBytes(body)
    }

    public init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError) {
        let raw = try Int32(capacity: capacity, readingOption: read)
        self = raw < 0 ? .infinite : .milliseconds(raw)
    }
}

extension [UInt8]: SocketOptionValue {
    public func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R {
        var result: Result<R, ZeroMQError>!
        withUnsafeBytes { bytes in result = Result { () throws(ZeroMQError) in try body(bytes) } }
        return try result.get()
    }

    public init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError) {
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = buffer.count
        var failure: ZeroMQError?
        buffer.withUnsafeMutableBytes { bytes in
            do throws(ZeroMQError) { try read(bytes.baseAddress!, &size) } catch { failure = error }
        }
        if let failure { throw failure }
        self = Array(buffer.prefix(size))
    }
}

extension String: SocketOptionValue {
    public func withOptionBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ZeroMQError) -> R) throws(ZeroMQError) -> R {
        try Array(utf8).withOptionBytes(body)
    }

    public init(
        capacity: Int,
        readingOption read: (UnsafeMutableRawPointer, UnsafeMutablePointer<Int>) throws(ZeroMQError) -> Void
    ) throws(ZeroMQError) {
        // libzmq returns text options (endpoints, Z85 keys) NUL-terminated.
        let bytes = try [UInt8](capacity: capacity, readingOption: read)
        self = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
