/// A customer organisation that sellers work with; published as `huddle.account.registered`
/// when it is first recorded and `huddle.account.updated` when it changes (the full record each time).
package struct Account: Codable, Sendable, Hashable {
    /// Huddle's id of the account; its bucket is derived from it.
    package var id: String
    /// The organisation's name.
    package var name: String
    /// Its internet domains, used to match signals to the account.
    package var domains: [String]
    /// The seller who owns the account (and may have it on their focus list).
    package var ownerSellerID: String
    /// The market segment, such as `enterprise` or `mid-market`.
    package var segment: String?
    /// The industry, such as `logistics`.
    package var industry: String?

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case domains, id, industry, name, ownerSellerID, segment
    }

    /// An account from its fields.
    package init(
        id: String,
        name: String,
        domains: [String],
        ownerSellerID: String,
        segment: String? = nil,
        industry: String? = nil
    ) {
        self.id = id
        self.name = name
        self.domains = domains
        self.ownerSellerID = ownerSellerID
        self.segment = segment
        self.industry = industry
    }
}
