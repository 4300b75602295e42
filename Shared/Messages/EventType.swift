/// What an event announces: the CloudEvents `type` of a bus message, in the past tense.
///
/// An unknown type decodes to `.unknown` with its name kept: a consumer records its sequence
/// number and skips it. Each known type lists the `schemaversion`s this build can read.
package enum EventType: OpenEnum {
    /// `huddle.signal.recorded`: a `Signal`.
    case signalRecorded
    /// `huddle.account.registered`: an `Account` was first recorded.
    case accountRegistered
    /// `huddle.account.updated`: an `Account` changed; the full record.
    case accountUpdated
    /// `huddle.stakeholder.identified`: a `Stakeholder` joined an account's buying group.
    case stakeholderIdentified
    /// `huddle.project.opened`: a `SalesProject` was opened.
    case projectOpened
    /// `huddle.project.updated`: a `SalesProject` changed; the full record.
    case projectUpdated
    /// `huddle.milestone.planned`: a `Milestone` was planned.
    case milestonePlanned
    /// `huddle.milestone.achieved`: a `Milestone` was reached and verified by the customer.
    case milestoneAchieved
    /// A type this build does not know, as written.
    case unknown(String)

    /// The types this build knows.
    package static let known: [EventType] = [
        .signalRecorded, .accountRegistered, .accountUpdated, .stakeholderIdentified, .projectOpened,
        .projectUpdated, .milestonePlanned, .milestoneAchieved,
    ]

    /// The type with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "huddle.signal.recorded": self = .signalRecorded
        case "huddle.account.registered": self = .accountRegistered
        case "huddle.account.updated": self = .accountUpdated
        case "huddle.stakeholder.identified": self = .stakeholderIdentified
        case "huddle.project.opened": self = .projectOpened
        case "huddle.project.updated": self = .projectUpdated
        case "huddle.milestone.planned": self = .milestonePlanned
        case "huddle.milestone.achieved": self = .milestoneAchieved
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .signalRecorded: "huddle.signal.recorded"
        case .accountRegistered: "huddle.account.registered"
        case .accountUpdated: "huddle.account.updated"
        case .stakeholderIdentified: "huddle.stakeholder.identified"
        case .projectOpened: "huddle.project.opened"
        case .projectUpdated: "huddle.project.updated"
        case .milestonePlanned: "huddle.milestone.planned"
        case .milestoneAchieved: "huddle.milestone.achieved"
        case .unknown(let name): name
        }
    }

    /// The `schemaversion`s of this type that this build reads; nil for unknown types.
    package var supportedSchemaVersions: ClosedRange<Int>? {
        switch self {
        case .unknown: nil
        default: 1...1
        }
    }

    /// The `schemaversion` this build writes; nil for unknown types.
    package var currentSchemaVersion: Int? { supportedSchemaVersions?.upperBound }

    /// The topic family the type is published under; nil for unknown types.
    package var family: TopicFamily? {
        switch self {
        case .signalRecorded: .signal
        case .accountRegistered, .accountUpdated, .stakeholderIdentified: .account
        case .projectOpened, .projectUpdated, .milestonePlanned, .milestoneAchieved: .project
        case .unknown: nil
        }
    }

    /// The topic's type segment for this event type; nil for signals (their `kind` is used) and unknown types.
    package var topicType: String? {
        switch self {
        case .accountRegistered: "registered"
        case .accountUpdated, .projectUpdated: "updated"
        case .stakeholderIdentified: "stakeholder-identified"
        case .projectOpened: "opened"
        case .milestonePlanned: "milestone-planned"
        case .milestoneAchieved: "milestone-achieved"
        case .signalRecorded, .unknown: nil
        }
    }
}
