/// A customer-verifiable step of a sales project; published as `huddle.milestone.planned` and,
/// once the customer confirms it, `huddle.milestone.achieved` (with `verification`).
package struct Milestone: Codable, Sendable, Hashable {
    /// Huddle's id of the milestone.
    package var id: String
    /// The project it belongs to.
    package var projectID: String
    /// The project's account, which decides the event's bucket.
    package var accountID: String
    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case accountID, dueOn, id, kind, projectID, status, title, verification
    }

    /// A short title, such as "Pilot sign-off by operations".
    package var title: String
    /// What the milestone marks.
    package var kind: MilestoneKind
    /// The day it is due.
    package var dueOn: CalendarDate
    /// Whether it happened.
    package var status: MilestoneStatus
    /// The customer's confirmation, for achieved milestones.
    package var verification: CustomerVerification?

    /// A milestone from its fields.
    package init(
        id: String,
        projectID: String,
        accountID: String,
        title: String,
        kind: MilestoneKind,
        dueOn: CalendarDate,
        status: MilestoneStatus,
        verification: CustomerVerification? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.accountID = accountID
        self.title = title
        self.kind = kind
        self.dueOn = dueOn
        self.status = status
        self.verification = verification
    }
}
