import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// TCP ports on 127.0.0.1 that nothing is bound to, for services started by tests.
///
/// Ports come from 20000–32767, below Linux's default ephemeral range (32768–60999), so outgoing connections
/// cannot take them between the check and the service's bind; a port is never handed out twice per process.
package enum FreePort {
    /// Why no port could be found.
    package struct Exhausted: Error, CustomStringConvertible {
        /// How many ports were wanted, and from which range.
        package let description: String
    }

    /// The range ports are chosen from.
    package static let range = 20_000...32_767

    /// A port that is free now.
    package static func next() throws(Exhausted) -> Int {
        try consecutive(1)
    }

    /// The first of `count` consecutive ports that are all free now (for `huddle up --http-port-base`).
    package static func consecutive(_ count: Int) throws(Exhausted) -> Int {
        for _ in 0..<500 {
            let first = Int.random(in: range.lowerBound...(range.upperBound - count + 1))
            let ports = first..<(first + count)
            let claimed = handedOut.withLock { handedOut in
                guard ports.allSatisfy({ !handedOut.contains($0) && isFree($0) }) else { return false }
                handedOut.formUnion(ports)
                return true
            }
            if claimed {
                return first
            }
        }
        throw Exhausted(description: "no \(count) consecutive free TCP ports found in \(range)")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// Whether a listening socket could bind 127.0.0.1:`port` right now.
    private static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0
    }
}
