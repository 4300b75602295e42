/// An amount of money in a currency's minor units (cents), so no value is ever rounded.
package struct Money: Codable, Sendable, Hashable {
    /// The amount in minor units: 1250000 with `EUR` is EUR 12,500.00.
    package var amountMinor: Int64
    /// The ISO 4217 currency code, such as `EUR`.
    package var currency: String

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case amountMinor, currency
    }

    /// An amount from its parts.
    package init(amountMinor: Int64, currency: String) {
        self.amountMinor = amountMinor
        self.currency = currency
    }
}
