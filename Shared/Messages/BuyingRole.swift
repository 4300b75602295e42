/// The part a stakeholder plays in the customer's buying group. Written in lowercase kebab case
/// (`decision-maker`); an unknown name decodes to `.unknown` with the name kept.
package enum BuyingRole: OpenEnum {
    /// Makes the final call.
    case decisionMaker
    /// Owns the budget.
    case economicBuyer
    /// Sells Huddle's customer's case internally.
    case champion
    /// Shapes the decision without owning it.
    case influencer
    /// Will use what is bought.
    case user
    /// Works against the purchase.
    case blocker
    /// Controls access to the others.
    case gatekeeper
    /// A role this build does not know, as written.
    case unknown(String)

    /// The role with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "decision-maker": self = .decisionMaker
        case "economic-buyer": self = .economicBuyer
        case "champion": self = .champion
        case "influencer": self = .influencer
        case "user": self = .user
        case "blocker": self = .blocker
        case "gatekeeper": self = .gatekeeper
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .decisionMaker: "decision-maker"
        case .economicBuyer: "economic-buyer"
        case .champion: "champion"
        case .influencer: "influencer"
        case .user: "user"
        case .blocker: "blocker"
        case .gatekeeper: "gatekeeper"
        case .unknown(let name): name
        }
    }
}
