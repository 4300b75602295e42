import Messages
import Storage

/// What a consumer does with the events it follows.
///
/// `apply` runs inside the consumer's transaction, which also records how far each stream has
/// been applied: the effect and the record commit together or not at all, so every event takes
/// effect exactly once. Events come in `seq` order per stream; a batch may mix streams.
package protocol BusEventHandler: Sendable {
    /// Applies `events` with `sql`, the transaction's connection (its `kind` tells the engine);
    /// throwing rolls the batch back, and the consumer retries its events one by one, then parks
    /// one that keeps failing.
    func apply(_ events: [BusEvent], in sql: SQLConnection) async throws
}
