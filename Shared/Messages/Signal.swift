/// One piece of customer buying activity seen by a system outside sales: a page view, a webinar
/// sign-up, a feature used, a ticket opened, an invoice paid.
///
/// Published as `huddle.signal.recorded`. A signal may arrive before Huddle knows its account:
/// then `accountID` is nil and `accountDomain` (or `personEmail`) is kept for identity resolution.
package struct Signal: Codable, Sendable, Hashable {
    /// The id the source system gave the event; with `source`, the key for dropping duplicates.
    package var id: String
    /// The kind of system that saw the activity.
    package var source: SignalSource
    /// What happened, in lowercase kebab case (`page-viewed`); also the topic's type segment.
    package var kind: String
    /// When it happened, by the source's clock.
    package var occurredAt: Timestamp
    /// The account, once known.
    package var accountID: String?
    /// The account's internet domain, for matching when the account is not yet known.
    package var accountDomain: String?
    /// The person's e-mail address, when the source knows it.
    package var personEmail: String?
    /// The stakeholder, once the person is matched to one.
    package var stakeholderID: String?
    /// Free-form details from the source (`url`, `plan`, `durationSeconds`, ...).
    package var properties: [String: PropertyValue]

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case accountDomain, accountID, id, kind, occurredAt, personEmail, properties, source, stakeholderID
    }

    /// A signal from its fields.
    package init(
        id: String,
        source: SignalSource,
        kind: String,
        occurredAt: Timestamp,
        accountID: String? = nil,
        accountDomain: String? = nil,
        personEmail: String? = nil,
        stakeholderID: String? = nil,
        properties: [String: PropertyValue] = [:]
    ) {
        self.id = id
        self.source = source
        self.kind = kind
        self.occurredAt = occurredAt
        self.accountID = accountID
        self.accountDomain = accountDomain
        self.personEmail = personEmail
        self.stakeholderID = stakeholderID
        self.properties = properties
    }
}
