import Foundation
import ServiceKit

/// A plain HTTP/1.1 `GET` for tests, by URL: one fresh connection, no proxy, one deadline for the
/// whole exchange. It is ServiceKit's `HTTPGet` — the client `huddle up` probes with — behind a URL.
package enum HTTPProbe {
    /// A complete response.
    package struct Response: Sendable, Equatable {
        /// The status code.
        package var status: Int
        /// The body as UTF-8 text (de-chunked).
        package var body: String
    }

    /// `GET url` (an `http://host:port/path` URL) with everything bounded by `timeout`.
    /// - Throws: `HTTPGet.Failure` when the server cannot be reached or does not answer completely in time.
    package static func get(url: String, timeout: Duration = .seconds(2)) async throws(HTTPGet.Failure) -> Response {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else {
            throw HTTPGet.Failure(description: "not an http:// URL: \(url)")
        }
        let path = parsed.path.isEmpty ? "/" : parsed.path + (parsed.query.map { "?\($0)" } ?? "")
        let response = try await HTTPGet.get(host: host, port: parsed.port ?? 80, path: path, timeout: timeout)
        return Response(status: response.status, body: response.bodyText)
    }

    /// Whether `GET url` gets any complete HTTP response within `timeout`.
    package static func answers(url: String, timeout: Duration = .seconds(1)) async -> Bool {
        (try? await get(url: url, timeout: timeout)) != nil
    }
}
