/// Failures of the bus layer that are the database's or the configuration's fault.
package enum BusError: Error, Sendable, CustomStringConvertible {
    /// The outbox counter row is missing: the bus migrations did not run.
    case outboxCounterMissing
    /// A bus endpoint setting is not usable.
    case invalidEndpoint(String, String)

    package var description: String {
        switch self {
        case .outboxCounterMissing: "bus_outbox_counter has no row: run the bus migrations (BusSchema.publisher)"
        case .invalidEndpoint(let endpoint, let rule): "invalid bus endpoint \"\(endpoint)\": \(rule)"
        }
    }
}
