import Logging

/// One log event with everything a line shows, ready to render as JSON or text.
package struct LogRecord: Sendable {
    /// RFC 3339 time of the event.
    package var timestamp: String
    /// Severity.
    package var level: Logger.Level
    /// The service the process runs, e.g. `huddle-accounts`.
    package var service: String
    /// The logger's label.
    package var label: String
    /// The message.
    package var message: String
    /// The merged metadata of the handler, the provider and the call.
    package var metadata: Logger.Metadata
    /// The error attached to the event, described.
    package var error: String?

    /// Creates a record.
    package init(
        timestamp: String,
        level: Logger.Level,
        service: String,
        label: String,
        message: String,
        metadata: Logger.Metadata = [:],
        error: String? = nil
    ) {
        self.timestamp = timestamp
        self.level = level
        self.service = service
        self.label = label
        self.message = message
        self.metadata = metadata
        self.error = error
    }

    /// The field names every JSON line starts with; metadata may not reuse them.
    package static let reservedFields: Set<String> = ["ts", "level", "service", "label", "msg", "error"]

    /// One JSON object: the fixed fields, then the metadata sorted by key.
    package func jsonLine() -> String {
        var line = "{\"ts\":" + JSONText.quoted(timestamp)
        line += ",\"level\":" + JSONText.quoted(level.rawValue)
        line += ",\"service\":" + JSONText.quoted(service)
        line += ",\"label\":" + JSONText.quoted(label)
        line += ",\"msg\":" + JSONText.quoted(message)
        if let error {
            line += ",\"error\":" + JSONText.quoted(error)
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = Self.reservedFields.contains(key) ? "metadata.\(key)" : key
            line += "," + JSONText.quoted(name) + ":" + JSONText.value(value)
        }
        return line + "}"
    }

    /// One line for people: `ts level service [label] message key=value …`, newlines in values escaped.
    package func textLine() -> String {
        var line = "\(timestamp) \(level.rawValue) \(service) [\(label)] \(Self.singleLine(message))"
        if let error {
            line += " error=\(Self.singleLine(error))"
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.singleLine(value.description))"
        }
        return line
    }

    /// Keeps one event on one line so log readers never mistake a continuation for a new event.
    private static func singleLine(_ text: String) -> String {
        text.replacing("\r", with: "\\r").replacing("\n", with: "\\n")
    }
}
