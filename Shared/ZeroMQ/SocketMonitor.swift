import CZeroMQ

/// What happened on a monitored socket (`zmq_socket_monitor` events).
public struct MonitorEvent: Sendable, Hashable {
    /// The kind of event.
    public struct Kind: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let connected = Kind(rawValue: UInt16(ZMQ_EVENT_CONNECTED))
        public static let connectDelayed = Kind(rawValue: UInt16(ZMQ_EVENT_CONNECT_DELAYED))
        public static let connectRetried = Kind(rawValue: UInt16(ZMQ_EVENT_CONNECT_RETRIED))
        public static let listening = Kind(rawValue: UInt16(ZMQ_EVENT_LISTENING))
        public static let bindFailed = Kind(rawValue: UInt16(ZMQ_EVENT_BIND_FAILED))
        public static let accepted = Kind(rawValue: UInt16(ZMQ_EVENT_ACCEPTED))
        public static let acceptFailed = Kind(rawValue: UInt16(ZMQ_EVENT_ACCEPT_FAILED))
        public static let closed = Kind(rawValue: UInt16(ZMQ_EVENT_CLOSED))
        public static let closeFailed = Kind(rawValue: UInt16(ZMQ_EVENT_CLOSE_FAILED))
        public static let disconnected = Kind(rawValue: UInt16(ZMQ_EVENT_DISCONNECTED))
        public static let monitorStopped = Kind(rawValue: UInt16(ZMQ_EVENT_MONITOR_STOPPED))
        public static let handshakeFailedNoDetail = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
        public static let handshakeSucceeded = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
        public static let handshakeFailedProtocol = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
        public static let handshakeFailedAuthentication = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))
        /// Every event libzmq 4.3 reports.
        public static let all = Kind(rawValue: UInt16(truncatingIfNeeded: ZMQ_EVENT_ALL))
    }

    /// The event.
    public let kind: Kind
    /// The event's value: a file descriptor, an errno, a reconnect interval or a ZAP status.
    public let value: UInt32
    /// The endpoint the event is about.
    public let endpoint: String

    /// Decodes the two frames libzmq sends on a monitor socket.
    init(frames: [[UInt8]]) throws(ZeroMQError) {
        // Frame 1: a 16-bit event number and a 32-bit value in native byte order; frame 2: the endpoint.
        guard frames.count == 2, frames[0].count == 6 else {
            throw ZeroMQError(
                .malformedInput,
                "a monitor event has 2 frames, the first 6 bytes long; got \(frames.map(\.count))",
                operation: "zmq_socket_monitor"
            )
        }
        kind = Kind(rawValue: frames[0].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) })
        value = frames[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self) }
        endpoint = String(decoding: frames[1], as: UTF8.self)
    }
}

/// The receiving end of `zmq_socket_monitor`: a PAIR socket that reads another socket's events.
///
/// Create it on the monitored socket's thread with ``Socket/monitor(events:)``. Reading it is
/// ordinary socket I/O, so it can be polled together with other sockets.
public final class SocketMonitor {
    /// The PAIR socket events arrive on; add it to a ``Poller`` to wait for events.
    public let socket: Socket

    init(socket: Socket) {
        self.socket = socket
    }

    /// The next event, or `nil` with `dontWait` when none is waiting.
    public func nextEvent(dontWait: Bool = false) throws(ZeroMQError) -> MonitorEvent? {
        guard let message = try socket.receive(dontWait: dontWait) else { return nil }
        return try MonitorEvent(frames: message.frames)
    }
}

extension Socket {
    /// Starts reporting `events` of this socket; read them from the returned monitor.
    public func monitor(events: MonitorEvent.Kind = .all) throws(ZeroMQError) -> SocketMonitor {
        let handle = try open("zmq_socket_monitor")
        let endpoint = "inproc://huddle-monitor-\(UInt(bitPattern: handle))-\(events.rawValue)"
        try check("zmq_socket_monitor(\(endpoint))") { zmq_socket_monitor(handle, endpoint, Int32(events.rawValue)) }
        let reader = try Socket(context: context, type: .pair)
        try reader.connect(endpoint)
        return SocketMonitor(socket: reader)
    }
}
