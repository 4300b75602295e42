/// How log lines are written to standard error.
package enum LogFormat: String, CaseIterable, Sendable {
    /// One JSON object per line: `ts`, `level`, `service`, `label`, `msg`, then the metadata as fields.
    case json
    /// One human-readable line per event, for a terminal.
    case text
}
