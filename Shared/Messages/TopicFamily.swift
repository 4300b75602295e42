/// The first segment of a topic: which part of Huddle an event is about.
///
/// On the wire it is the family's lowercase name; a family this build does not know decodes to
/// `.unknown` with its name kept, so adding a family never breaks older consumers.
package enum TopicFamily: Hashable, Sendable {
    /// Teams, people and targets (published by huddle-accounts).
    case org
    /// Accounts and their buying groups (published by huddle-accounts).
    case account
    /// Sales projects and their milestones (published by huddle-accounts).
    case project
    /// Customer activity signals (published by huddle-signals).
    case signal
    /// Scores, nudges and coaching records (published by huddle-coaching).
    case coaching
    /// A family this build does not know, with its name as written.
    case unknown(String)

    /// The families this build knows.
    package static let known: [TopicFamily] = [.org, .account, .project, .signal, .coaching]

    /// The family's name; a valid name is 1 to 32 characters of `a-z`, `0-9` and `-`, starting with a letter.
    package var name: String {
        switch self {
        case .org: "org"
        case .account: "account"
        case .project: "project"
        case .signal: "signal"
        case .coaching: "coaching"
        case .unknown(let name): name
        }
    }

    /// The family with this name, or nil if the name breaks the naming rule.
    package init?(name: String) {
        var name = name
        guard let family = name.withUTF8({ Self(utf8: $0[...]) }) else { return nil }
        self = family
    }

    /// The family named by some UTF-8 bytes, or nil if the name breaks the naming rule.
    init?(utf8 name: Slice<UnsafeBufferPointer<UInt8>>) {
        if let known = Self.known.first(where: { $0.name.utf8.elementsEqual(name) }) {
            self = known
            return
        }
        guard (1...32).contains(name.count), let first = name.first, first >= UInt8(ascii: "a"),
            first <= UInt8(ascii: "z"), name.allSatisfy(TopicSegmentRule.isAllowed)
        else { return nil }
        self = .unknown(String(decoding: name, as: UTF8.self))
    }
}

/// The characters allowed in topic segments: lowercase ASCII letters, digits and `-`.
enum TopicSegmentRule {
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
        default: false
        }
    }

    static func error(_ detail: String) -> MessageDecodingError {
        MessageDecodingError(
            code: .invalidValue,
            reason: "not a topic of the form <family>.<bucket>.<type> (e.g. signal.3f.page-viewed): \(detail)"
        )
    }
}
