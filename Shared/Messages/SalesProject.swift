/// One piece of the target: a deal with one account, carried by a team, tracked by milestones.
/// Published as `huddle.project.opened` and `huddle.project.updated` (the full record each time).
package struct SalesProject: Codable, Sendable, Hashable {
    /// Huddle's id of the project.
    package var id: String
    /// The customer account.
    package var accountID: String
    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case accountID, expectedCloseOn, id, name, openedOn, partnerID, status, team, value
    }

    /// A short name, such as "Fleet telematics rollout".
    package var name: String
    /// The people on the project.
    package var team: ProjectTeam
    /// The expected contract value.
    package var value: Money
    /// Where the project stands.
    package var status: SalesProjectStatus
    /// The partner who brought the deal, for partner-sourced projects.
    package var partnerID: String?
    /// The day the project was opened.
    package var openedOn: CalendarDate
    /// The day the team expects the decision, when it has one.
    package var expectedCloseOn: CalendarDate?

    /// A project from its fields.
    package init(
        id: String,
        accountID: String,
        name: String,
        team: ProjectTeam,
        value: Money,
        status: SalesProjectStatus,
        partnerID: String? = nil,
        openedOn: CalendarDate,
        expectedCloseOn: CalendarDate? = nil
    ) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.team = team
        self.value = value
        self.status = status
        self.partnerID = partnerID
        self.openedOn = openedOn
        self.expectedCloseOn = expectedCloseOn
    }
}
