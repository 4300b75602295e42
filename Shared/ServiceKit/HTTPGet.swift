import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP/1.1 `GET` over a plain socket, for probing Huddle's own endpoints (`huddle up` uses it).
///
/// It talks to the host it is given, directly: no proxy settings apply, no connection is reused, and the whole
/// exchange is bounded by one deadline. The blocking socket work runs on a thread of its own, never on the
/// concurrency pool.
package enum HTTPGet {
    /// A complete response.
    package struct Response: Sendable, Equatable {
        /// The status code, e.g. 200.
        package var status: Int
        /// Header fields in arrival order, names lower-cased.
        package var headers: [Header]
        /// The body, de-chunked.
        package var body: [UInt8]

        /// The body as UTF-8 text (invalid bytes replaced).
        package var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// One header field.
    package struct Header: Sendable, Equatable {
        /// The lower-cased field name.
        package var name: String
        /// The field value, trimmed.
        package var value: String
    }

    /// Why a request got no complete response.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        /// What went wrong, e.g. `connect to 127.0.0.1:8081: Connection refused`.
        package var description: String

        /// A failure described by `description`.
        package init(description: String) {
            self.description = description
        }
    }

    /// The largest response accepted; anything bigger is a failure, not a partial answer.
    package static let maximumResponseBytes = 4 << 20

    /// Sends `GET path` to `host:port` and returns the response.
    /// - Throws: ``Failure`` when the host cannot be resolved or reached, or no complete response arrives in time.
    package static func get(
        host: String,
        port: Int,
        path: String,
        timeout: Duration
    ) async throws(Failure) -> Response {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Response, Failure>, Never>) in
            let thread = Thread {
                continuation.resume(
                    returning: Result { () throws(Failure) in
                        try perform(host: host, port: port, path: path, deadline: .now + timeout)
                    }
                )
            }
            thread.name = "huddle-http-get"
            thread.start()
        }
        return try result.get()
    }

    /// The blocking exchange; every wait is bounded by `deadline`.
    static func perform(
        host: String,
        port: Int,
        path: String,
        deadline: ContinuousClock.Instant
    ) throws(Failure) -> Response {
        let socket = try SocketConnection.open(host: host, port: port, deadline: deadline)
        defer { socket.release() }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        try socket.sendAll(Array(request.utf8), deadline: deadline)
        let raw = try socket.receiveAll(limit: maximumResponseBytes, deadline: deadline)
        return try HTTPResponseParser.parse(raw)
    }
}
