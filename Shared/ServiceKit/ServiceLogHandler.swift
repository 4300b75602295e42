import Logging

/// A swift-log handler that writes one line per event, as JSON or as text, through a ``LogLineWriter``.
///
/// JSON lines carry `ts` (RFC 3339, UTC), `level`, `service`, `label` and `msg`, then every metadata key as a field
/// of its own (and `error` when the event carries one). A metadata key that would overwrite one of those fields is
/// written as `metadata.<key>` instead.
package struct ServiceLogHandler: LogHandler {
    /// The service the process runs, e.g. `huddle-accounts`.
    package let service: String
    /// The logger's label.
    package let label: String
    /// JSON or text.
    package let format: LogFormat
    /// Where finished lines go.
    package let writer: LogLineWriter
    /// Metadata attached to this handler (value semantics, as swift-log requires).
    package var metadata: Logger.Metadata = [:]
    /// Contextual metadata added to every event, e.g. from task locals.
    package var metadataProvider: Logger.MetadataProvider?
    /// The lowest level written.
    package var logLevel: Logger.Level

    /// Creates a handler; `writer` defaults to standard error.
    package init(
        label: String,
        service: String,
        format: LogFormat,
        level: Logger.Level,
        writer: LogLineWriter = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.service = service
        self.format = format
        self.logLevel = level
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    /// Reads or writes one metadata value of this handler.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Renders the event and writes it as one line.
    package func log(event: LogEvent) {
        // Precedence, lowest first: the handler's metadata, the provider's, then the call's own.
        var fields = metadata
        if let provided = metadataProvider?.get() {
            fields.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            fields.merge(own) { _, new in new }
        }
        let record = LogRecord(
            timestamp: LogTimestamp.now(),
            level: event.level,
            service: service,
            label: label,
            message: event.message.description,
            metadata: fields,
            error: event.error.map { String(describing: $0) }
        )
        switch format {
        case .json: writer.writeLine(record.jsonLine())
        case .text: writer.writeLine(record.textLine())
        }
    }
}
