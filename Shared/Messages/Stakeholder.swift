/// A person in a customer's buying group; published as `huddle.stakeholder.identified`.
package struct Stakeholder: Codable, Sendable, Hashable {
    /// Huddle's id of the stakeholder.
    package var id: String
    /// The account the person works for.
    package var accountID: String
    /// The person's name.
    package var name: String
    /// The person's e-mail address, used to match signals to them.
    package var email: String?
    /// The person's job title.
    package var title: String?
    /// The part they play in the buying decision.
    package var role: BuyingRole

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case accountID, email, id, name, role, title
    }

    /// A stakeholder from their fields.
    package init(
        id: String,
        accountID: String,
        name: String,
        email: String? = nil,
        title: String? = nil,
        role: BuyingRole
    ) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.email = email
        self.title = title
        self.role = role
    }
}
