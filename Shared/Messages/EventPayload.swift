/// The payload of a bus message, chosen by its `type`; what a consumer that takes several
/// kinds of event switches over.
package enum EventPayload: Hashable, Sendable {
    case signalRecorded(Signal)
    case accountRegistered(Account)
    case accountUpdated(Account)
    case stakeholderIdentified(Stakeholder)
    case projectOpened(SalesProject)
    case projectUpdated(SalesProject)
    case milestonePlanned(Milestone)
    case milestoneAchieved(Milestone)
    /// An event of a type this build does not know; its `data` was not read. Record its `seq` and skip it.
    case unrecognized(type: String)

    /// The event type that carries this payload.
    package var eventType: EventType {
        switch self {
        case .signalRecorded: .signalRecorded
        case .accountRegistered: .accountRegistered
        case .accountUpdated: .accountUpdated
        case .stakeholderIdentified: .stakeholderIdentified
        case .projectOpened: .projectOpened
        case .projectUpdated: .projectUpdated
        case .milestonePlanned: .milestonePlanned
        case .milestoneAchieved: .milestoneAchieved
        case .unrecognized(let type): .unknown(type)
        }
    }

    /// The account the event is about, which decides its bucket; nil when not (yet) known.
    package var accountID: String? {
        switch self {
        case .signalRecorded(let signal): signal.accountID
        case .accountRegistered(let account), .accountUpdated(let account): account.id
        case .stakeholderIdentified(let stakeholder): stakeholder.accountID
        case .projectOpened(let project), .projectUpdated(let project): project.accountID
        case .milestonePlanned(let milestone), .milestoneAchieved(let milestone): milestone.accountID
        case .unrecognized: nil
        }
    }

    /// The stream the event belongs in: its type's family and its account's bucket; nil for unrecognized events.
    package var stream: StreamName? {
        guard let family = eventType.family else { return nil }
        return StreamName(family: family, bucket: accountID.map(AccountBucket.init(accountID:)) ?? .noAccount)
    }

    /// The topic's type segment: the signal's kind for signals, else fixed by the event type.
    package var topicType: String? {
        if case .signalRecorded(let signal) = self { return signal.kind }
        return eventType.topicType
    }
}
