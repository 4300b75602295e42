#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A non-blocking TCP client socket whose every wait is bounded by a deadline; used by ``HTTPGet``.
struct SocketConnection {
    let descriptor: Int32

    /// Resolves `host` and connects to the first address that accepts before `deadline`.
    static func open(host: String, port: Int, deadline: ContinuousClock.Instant) throws(HTTPGet.Failure) -> Self {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw HTTPGet.Failure(description: "resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            switch attempt(address.pointee, deadline: deadline) {
            case .success(let descriptor): return SocketConnection(descriptor: descriptor)
            case .failure(let reason): lastError = reason.text
            }
        }
        throw HTTPGet.Failure(description: "connect to \(host):\(port): \(lastError)")
    }

    private static func attempt(_ address: addrinfo, deadline: ContinuousClock.Instant) -> Result<Int32, ReasonText> {
        #if canImport(Glibc)
            // Close-on-exec from the start: a child spawned concurrently must not inherit the probe's socket.
            let type = address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = address.ai_socktype
        #endif
        let descriptor = socket(address.ai_family, type, address.ai_protocol)
        guard descriptor >= 0 else { return .failure(ReasonText(errno: errno)) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        if connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 {
            return .success(descriptor)
        }
        guard errno == EINPROGRESS else {
            let reason = ReasonText(errno: errno)
            _ = close(descriptor)
            return .failure(reason)
        }
        guard wait(descriptor, for: Int16(POLLOUT), deadline: deadline) else {
            _ = close(descriptor)
            return .failure(ReasonText(text: "timed out"))
        }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard socketError == 0 else {
            _ = close(descriptor)
            return .failure(ReasonText(errno: socketError))
        }
        return .success(descriptor)
    }

    /// Writes all of `bytes`.
    func sendAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(HTTPGet.Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, noSignalFlag)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                guard Self.wait(descriptor, for: Int16(POLLOUT), deadline: deadline) else {
                    throw HTTPGet.Failure(description: "send: timed out")
                }
            } else {
                throw HTTPGet.Failure(description: "send: \(ReasonText(errno: errno).text)")
            }
        }
    }

    /// Reads until the peer closes; more than `limit` bytes is a failure.
    func receiveAll(limit: Int, deadline: ContinuousClock.Instant) throws(HTTPGet.Failure) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[0..<count]
                guard received.count <= limit else {
                    throw HTTPGet.Failure(description: "response larger than \(limit) bytes")
                }
            } else if count == 0 {
                return received
            } else if errno == EAGAIN || errno == EINTR {
                guard Self.wait(descriptor, for: Int16(POLLIN), deadline: deadline) else {
                    throw HTTPGet.Failure(description: "receive: timed out after \(received.count) bytes")
                }
            } else {
                throw HTTPGet.Failure(description: "receive: \(ReasonText(errno: errno).text)")
            }
        }
    }

    func release() {
        _ = close(descriptor)
    }

    /// Waits until `events` are ready; false once the deadline passes.
    private static func wait(_ descriptor: Int32, for events: Int16, deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let milliseconds =
                remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
            var item = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&item, 1, Int32(clamping: max(1, milliseconds)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}

#if os(Linux)
    /// A peer that has gone away must fail the write, not raise `SIGPIPE` in the prober.
    private let noSignalFlag = Int32(MSG_NOSIGNAL)
#else
    private let noSignalFlag: Int32 = 0
#endif

/// An error's text, carried through `Result`.
struct ReasonText: Error {
    let text: String

    init(text: String) {
        self.text = text
    }

    init(errno code: Int32) {
        self.text = String(cString: strerror(code))
    }
}
