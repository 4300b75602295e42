/// The customer's own confirmation that a milestone was reached: who confirmed it and when.
package struct CustomerVerification: Codable, Sendable, Hashable {
    /// The stakeholder who confirmed it.
    package var stakeholderID: String
    /// When they confirmed it.
    package var verifiedAt: Timestamp
    /// What the confirmation rests on, such as "signed order form".
    package var evidence: String?

    // Listed in the byte order of their names, which is the order the bus codec writes fields in:
    // the encoder then has nothing to re-sort, and the decoder finds each field where it looks first.
    enum CodingKeys: String, CodingKey {
        case evidence, stakeholderID, verifiedAt
    }

    /// A verification from its fields.
    package init(stakeholderID: String, verifiedAt: Timestamp, evidence: String? = nil) {
        self.stakeholderID = stakeholderID
        self.verifiedAt = verifiedAt
        self.evidence = evidence
    }
}
