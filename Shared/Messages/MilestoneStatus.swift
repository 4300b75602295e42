/// Whether a milestone happened. Written as its lowercase name; an unknown name decodes to
/// `.unknown` with the name kept.
package enum MilestoneStatus: OpenEnum {
    /// Due, not yet reached.
    case planned
    /// Reached, and verified by the customer.
    case achieved
    /// Its due date passed without it being reached.
    case missed
    /// A status this build does not know, as written.
    case unknown(String)

    /// The status with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "planned": self = .planned
        case "achieved": self = .achieved
        case "missed": self = .missed
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .planned: "planned"
        case .achieved: "achieved"
        case .missed: "missed"
        case .unknown(let name): name
        }
    }
}
