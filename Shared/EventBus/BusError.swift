/// Failures of the bus layer that are the database's or the configuration's fault.
package enum BusError: Error, Sendable, CustomStringConvertible {
    /// The outbox counter row is missing: the bus migrations did not run.
    case outboxCounterMissing
    /// The upsert of the outbox's stream counters returned a row that is not (stream, last_seq,
    /// previous_position): the table is not the one the bus migrations made.
    case outboxStreamsUnreadable(String)
    /// A bus endpoint setting is not usable.
    case invalidEndpoint(String, String)

    package var description: String {
        switch self {
        case .outboxCounterMissing: "bus_outbox_counter has no row: run the bus migrations (BusSchema.publisher)"
        case .outboxStreamsUnreadable(let row):
            "bus_outbox_streams returned \(row), not (stream, last_seq, previous_position): run the bus migrations"
        case .invalidEndpoint(let endpoint, let rule): "invalid bus endpoint \"\(endpoint)\": \(rule)"
        }
    }
}
