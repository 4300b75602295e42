import Foundation

/// Where a service keeps its state: an SQLite file (the embedded default) or a PostgreSQL database.
package enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite database file, created if missing, used in WAL mode.
    case sqlite(path: String)
    /// A PostgreSQL database, by URL: `postgres://user[:password]@host[:port]/database[?sslmode=disable]`.
    case postgres(url: String)

    /// The location a service uses: `url` when given (a PostgreSQL URL, or `sqlite:PATH`), else
    /// `<dataDirectory>/<name>.sqlite`.
    package init(url: String?, dataDirectory: String, name: String) throws(StorageError) {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("\(name).sqlite"))
            return
        }
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StorageError.invalidLocation(url, "sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if ["postgres://", "postgresql://"].contains(where: url.hasPrefix) {
            self = .postgres(url: url)
        } else {
            throw StorageError.invalidLocation(url, "must start with postgres://, postgresql:// or sqlite:")
        }
    }

    /// The location without any password, for logs.
    package var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://(unparseable URL)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://"
        }
    }
}
