import Logging

/// A rule that one environment variable's value must follow: its wording for error messages and its parser.
struct ConfigurationRule<Value: Sendable>: Sendable {
    /// What a valid value looks like, as shown to people, e.g. `must be an integer from 1 to 65535`.
    let rule: String
    /// Returns the parsed value, or `nil` when the text breaks the rule.
    let parse: @Sendable (String) -> Value?
}

extension ConfigurationRule where Value == Int {
    /// A TCP port.
    static let port = ConfigurationRule(rule: "must be an integer from 1 to 65535") { text in
        // `Int(_:)` accepts a leading `+`; a port is plain digits only.
        guard text.allSatisfy(\.isASCIIDigit), let port = Int(text), (1...65_535).contains(port) else { return nil }
        return port
    }
}

extension ConfigurationRule where Value == Int32 {
    /// A ZeroMQ high-water mark: plain digits, at least 1.
    static let highWaterMark = ConfigurationRule(rule: "must be an integer from 1 to 10000000") { text in
        guard text.allSatisfy(\.isASCIIDigit), let mark = Int32(text), (1...10_000_000).contains(mark) else {
            return nil
        }
        return mark
    }

    /// A process id.
    static let processID = ConfigurationRule(rule: "must be a positive process id") { text in
        guard text.allSatisfy(\.isASCIIDigit), let pid = Int32(text), pid > 0 else { return nil }
        return pid
    }
}

extension ConfigurationRule where Value == String {
    /// A host name or IP address to bind.
    static let host = ConfigurationRule(
        rule: "must be a host name or IP address without spaces, e.g. 127.0.0.1 or 0.0.0.0"
    ) { text in
        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true })
        else { return nil }
        return text
    }

    /// A directory path.
    static let directory = ConfigurationRule(rule: "must be a non-empty directory path") { text in
        text.isEmpty || text.contains("\0") ? nil : text
    }

    /// A ZeroMQ endpoint a socket connects to.
    static let connectEndpoint = ConfigurationRule(
        rule: "must be a ZeroMQ endpoint to connect to: tcp://HOST:PORT (port 1-65535), ipc://PATH or inproc://NAME"
    ) { text in
        ZeroMQEndpointSyntax.isValid(text, wildcardHostAllowed: false) ? text : nil
    }

    /// A database URL: PostgreSQL, or an explicit SQLite file.
    static let databaseURL = ConfigurationRule(
        rule: "must be postgres://user[:password]@host[:port]/database, postgresql://… or sqlite:PATH"
    ) { text in
        let postgres = ["postgres://", "postgresql://"].contains { text.hasPrefix($0) && text.count > $0.count }
        return postgres || (text.hasPrefix("sqlite:") && text.count > "sqlite:".count) ? text : nil
    }

    /// A publisher id: 1 to 64 letters, digits, `.`, `_` or `-`.
    static let publisherID = ConfigurationRule(rule: "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'") {
        text in
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
        return (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(allowed.contains) ? text : nil
    }

    /// A ZeroMQ endpoint a socket binds, where port 0 asks for any free port.
    static let bindEndpointAnyPort = ConfigurationRule(
        rule: "must be a ZeroMQ endpoint to bind: tcp://HOST:PORT or tcp://*:PORT (port 0-65535; 0: any free port)"
    ) { text in
        let checked = text.hasSuffix(":0") ? String(text.dropLast()) + "1" : text
        return text.hasPrefix("tcp://") && ZeroMQEndpointSyntax.isValid(checked, wildcardHostAllowed: true) ? text : nil
    }

    /// A ZeroMQ endpoint a socket binds.
    static let bindEndpoint = ConfigurationRule(
        rule: "must be a ZeroMQ endpoint to bind: tcp://HOST:PORT or tcp://*:PORT (port 1-65535), ipc://PATH "
            + "or inproc://NAME"
    ) { text in
        ZeroMQEndpointSyntax.isValid(text, wildcardHostAllowed: true) ? text : nil
    }
}

extension ConfigurationRule where Value == Logger.Level {
    /// A swift-log level name, in any letter case.
    static let logLevel = ConfigurationRule(
        rule: "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
    ) { text in
        Logger.Level(rawValue: text.lowercased())
    }
}

extension ConfigurationRule where Value == LogFormat {
    /// `json` or `text`, in any letter case.
    static let logFormat = ConfigurationRule(
        rule: "must be one of " + LogFormat.allCases.map(\.rawValue).joined(separator: ", ")
    ) { text in
        LogFormat(rawValue: text.lowercased())
    }
}

/// The shape of the ZeroMQ endpoints Huddle accepts in its configuration.
enum ZeroMQEndpointSyntax {
    /// Whether `text` is `tcp://HOST:PORT`, `ipc://PATH` or `inproc://NAME`; `*` as HOST only when binding.
    static func isValid(_ text: String, wildcardHostAllowed: Bool) -> Bool {
        guard !text.contains(where: \.isWhitespace), let separator = text.firstRange(of: "://") else { return false }
        let transport = text[..<separator.lowerBound]
        let address = text[separator.upperBound...]
        switch transport {
        case "ipc", "inproc":
            return !address.isEmpty
        case "tcp":
            // The port follows the last colon, so bracketed IPv6 hosts such as `[::1]:5550` keep theirs.
            guard let colon = address.lastIndex(of: ":") else { return false }
            let host = address[..<colon]
            let port = String(address[address.index(after: colon)...])
            guard !host.isEmpty, ConfigurationRule<Int>.port.parse(port) != nil else { return false }
            return wildcardHostAllowed || host != "*"
        default:
            return false
        }
    }
}

extension Character {
    /// Whether the character is one of `0`–`9` (not any Unicode digit).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
