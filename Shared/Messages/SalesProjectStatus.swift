/// Where a sales project stands. Written in lowercase kebab case (`on-hold`); an unknown name
/// decodes to `.unknown` with the name kept.
package enum SalesProjectStatus: OpenEnum {
    /// Being worked.
    case open
    /// Paused, by the customer or by the team.
    case onHold
    /// The customer bought.
    case won
    /// The customer did not buy.
    case lost
    /// A status this build does not know, as written.
    case unknown(String)

    /// The status with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "open": self = .open
        case "on-hold": self = .onHold
        case "won": self = .won
        case "lost": self = .lost
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .open: "open"
        case .onHold: "on-hold"
        case .won: "won"
        case .lost: "lost"
        case .unknown(let name): name
        }
    }
}
