/// What a milestone marks in the customer's buying journey. Each is something the customer can
/// confirm. Written in lowercase kebab case (`contract-signed`); an unknown name decodes to
/// `.unknown` with the name kept.
package enum MilestoneKind: OpenEnum {
    /// The customer confirmed the problem and the need.
    case needsConfirmed
    /// The customer agreed on the proposed solution design.
    case solutionAgreed
    /// The customer accepted the commercial proposal.
    case proposalAccepted
    /// The contract is signed.
    case contractSigned
    /// Delivery or implementation started.
    case deliveryStarted
    /// The solution is in production use.
    case goLive
    /// The customer confirmed the value they expected.
    case valueConfirmed
    /// A kind this build does not know, as written.
    case unknown(String)

    /// The kind with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "needs-confirmed": self = .needsConfirmed
        case "solution-agreed": self = .solutionAgreed
        case "proposal-accepted": self = .proposalAccepted
        case "contract-signed": self = .contractSigned
        case "delivery-started": self = .deliveryStarted
        case "go-live": self = .goLive
        case "value-confirmed": self = .valueConfirmed
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .needsConfirmed: "needs-confirmed"
        case .solutionAgreed: "solution-agreed"
        case .proposalAccepted: "proposal-accepted"
        case .contractSigned: "contract-signed"
        case .deliveryStarted: "delivery-started"
        case .goLive: "go-live"
        case .valueConfirmed: "value-confirmed"
        case .unknown(let name): name
        }
    }
}
