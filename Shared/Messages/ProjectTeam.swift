/// The people who win and deliver a sales project together, by person id. The target is carried
/// by a team, not one seller.
package struct ProjectTeam: Codable, Sendable, Hashable {
    /// The account manager, who leads the project commercially.
    package var accountManagerID: String
    /// The design manager, who shapes the solution with the customer.
    package var designManagerID: String?
    /// The implementation manager, who delivers it.
    package var implementationManagerID: String?

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case accountManagerID, designManagerID, implementationManagerID
    }

    /// A team from its members.
    package init(accountManagerID: String, designManagerID: String? = nil, implementationManagerID: String? = nil) {
        self.accountManagerID = accountManagerID
        self.designManagerID = designManagerID
        self.implementationManagerID = implementationManagerID
    }
}
