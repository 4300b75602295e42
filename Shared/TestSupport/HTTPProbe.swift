import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain HTTP/1.1 `GET` for tests: one fresh connection, no proxy, one deadline for the whole exchange.
///
/// The blocking socket work runs on a thread of its own, never on the concurrency pool.
package enum HTTPProbe {
    /// A complete response.
    package struct Response: Sendable, Equatable {
        /// The status code.
        package var status: Int
        /// The body as UTF-8 text (de-chunked).
        package var body: String
    }

    /// Why no complete response arrived.
    package struct Failure: Error, CustomStringConvertible {
        /// What went wrong, e.g. `connect: Connection refused`.
        package let description: String
    }

    /// `GET url` (an `http://host:port/path` URL) with everything bounded by `timeout`.
    /// - Throws: ``Failure`` when the server cannot be reached or does not answer completely in time.
    package static func get(url: String, timeout: Duration = .seconds(2)) async throws(Failure) -> Response {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw Failure(description: "not an http:// URL: \(url)")
        }
        let port = parsed.port ?? 80
        let path = parsed.path.isEmpty ? "/" : parsed.path + (parsed.query.map { "?\($0)" } ?? "")
        let deadline = ContinuousClock.now + timeout
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Response, Failure>, Never>) in
            let thread = Thread {
                continuation.resume(
                    returning: Result { () throws(Failure) in
                        try exchange(host: host, port: port, path: path, deadline: deadline)
                    }
                )
            }
            thread.name = "http-probe"
            thread.start()
        }
        return try result.get()
    }

    /// Whether `GET url` gets any complete HTTP response within `timeout`.
    package static func answers(url: String, timeout: Duration = .seconds(1)) async -> Bool {
        (try? await get(url: url, timeout: timeout)) != nil
    }

    private static func exchange(
        host: String,
        port: Int,
        path: String,
        deadline: ContinuousClock.Instant
    )
        throws(Failure) -> Response
    {
        let connection = try ProbeSocket(host: host, port: port, deadline: deadline)
        defer { connection.close() }
        try connection.send("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n")
        return try parse(connection.receiveAll())
    }

    private static func parse(_ raw: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            throw Failure(description: "incomplete response (\(raw.count) bytes)")
        }
        let head = String(decoding: raw[..<headEnd], as: UTF8.self).lowercased()
        let statusParts = head.prefix { $0 != "\r" }.split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("http/1."), let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP/1 response: \(head.prefix(80).debugDescription)")
        }
        var body = Array(raw[(headEnd + separator.count)...])
        if head.contains("\r\ntransfer-encoding: chunked") {
            body = dechunk(body)
        }
        return Response(status: status, body: String(decoding: body, as: UTF8.self))
    }

    /// Joins the chunks of a chunked body; a malformed tail is dropped.
    private static func dechunk(_ body: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while let lineEnd = body[index...].firstIndex(of: UInt8(ascii: "\r")),
            let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16), size > 0,
            lineEnd + 2 + size <= body.count
        {
            result += body[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
            guard index < body.count else { break }
        }
        return result
    }
}
