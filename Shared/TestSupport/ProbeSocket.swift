#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection for ``HTTPProbe`` whose every wait is bounded by one deadline.
struct ProbeSocket {
    private let descriptor: Int32
    private let deadline: ContinuousClock.Instant

    /// Connects to the first address of `host` that accepts before `deadline`.
    init(host: String, port: Int, deadline: ContinuousClock.Instant) throws(HTTPProbe.Failure) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var addresses: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &addresses)
        guard resolved == 0, let first = addresses else {
            throw HTTPProbe.Failure(description: "resolve \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(addresses) }
        var failure = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate?.pointee {
            candidate = address.ai_next
            let descriptor = socket(
                address.ai_family,
                address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                address.ai_protocol
            )
            guard descriptor >= 0 else {
                failure = String(cString: strerror(errno))
                continue
            }
            if Self.connect(descriptor, address, deadline: deadline, failure: &failure) {
                self.descriptor = descriptor
                self.deadline = deadline
                return
            }
            _ = Glibc.close(descriptor)
        }
        throw HTTPProbe.Failure(description: "connect to \(host):\(port): \(failure)")
    }

    private static func connect(
        _ descriptor: Int32,
        _ address: addrinfo,
        deadline: ContinuousClock.Instant,
        failure: inout String
    ) -> Bool {
        if Glibc.connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 {
            return true
        }
        guard errno == EINPROGRESS else {
            failure = String(cString: strerror(errno))
            return false
        }
        guard wait(descriptor, Int16(POLLOUT), deadline: deadline) else {
            failure = "timed out"
            return false
        }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
        if code != 0 {
            failure = String(cString: strerror(code))
        }
        return code == 0
    }

    /// Sends all of `text`.
    func send(_ text: String) throws(HTTPProbe.Failure) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                guard Self.wait(descriptor, Int16(POLLOUT), deadline: deadline) else {
                    throw HTTPProbe.Failure(description: "send: timed out")
                }
            } else {
                throw HTTPProbe.Failure(description: "send: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads until the server closes the connection (at most 4 MiB).
    func receiveAll() throws(HTTPProbe.Failure) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while received.count <= 4 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                return received
            } else if errno == EAGAIN || errno == EINTR {
                guard Self.wait(descriptor, Int16(POLLIN), deadline: deadline) else {
                    throw HTTPProbe.Failure(description: "receive: timed out after \(received.count) bytes")
                }
            } else {
                throw HTTPProbe.Failure(description: "receive: \(String(cString: strerror(errno)))")
            }
        }
        throw HTTPProbe.Failure(description: "response larger than 4 MiB")
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    private static func wait(_ descriptor: Int32, _ events: Int16, deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            var item = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&item, 1, Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}
