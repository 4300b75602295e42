/// The kind of system a signal came from. Written as its lowercase name; an unknown name decodes
/// to `.unknown` with the name kept, so a new source never fails a message.
package enum SignalSource: OpenEnum {
    /// The company's web site.
    case web
    /// Marketing automation: e-mail, campaigns, webinars.
    case marketing
    /// The product itself: logins, feature use.
    case product
    /// The helpdesk: tickets and their outcomes.
    case helpdesk
    /// Billing: invoices, payments, credit control.
    case billing
    /// A partner's system, for partner-sourced activity.
    case partner
    /// A source this build does not know, as written.
    case unknown(String)

    /// The source with this name; never fails.
    package init(rawValue: String) {
        switch rawValue {
        case "web": self = .web
        case "marketing": self = .marketing
        case "product": self = .product
        case "helpdesk": self = .helpdesk
        case "billing": self = .billing
        case "partner": self = .partner
        default: self = .unknown(rawValue)
        }
    }

    /// The name on the wire.
    package var rawValue: String {
        switch self {
        case .web: "web"
        case .marketing: "marketing"
        case .product: "product"
        case .helpdesk: "helpdesk"
        case .billing: "billing"
        case .partner: "partner"
        case .unknown(let name): name
        }
    }
}
