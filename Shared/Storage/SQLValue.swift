/// One value of a row given to ``SQLConnection/insertRows(into:columns:rows:)``: the few types the
/// hot inserts write, bound straight to the engine without SQLKit's `Encodable` conversion.
package enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null
}
