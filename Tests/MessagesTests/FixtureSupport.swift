import Foundation
import Messages

/// The golden fixtures: one bus message per event type, written once and never edited.
enum Fixture {
    /// The fixture names with the event type each one carries.
    static let eventTypes: [(name: String, type: EventType)] = [
        ("signal-recorded", .signalRecorded),
        ("account-registered", .accountRegistered),
        ("account-updated", .accountUpdated),
        ("stakeholder-identified", .stakeholderIdentified),
        ("project-opened", .projectOpened),
        ("project-updated", .projectUpdated),
        ("milestone-planned", .milestonePlanned),
        ("milestone-achieved", .milestoneAchieved),
    ]

    static var names: [String] { eventTypes.map(\.name) }

    /// The bytes of a fixture.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return Array(try Data(contentsOf: url))
    }

    /// The signal fixture as text, for tests that edit one field of a realistic message.
    static func signalText() throws -> String {
        String(decoding: try bytes("signal-recorded"), as: UTF8.self)
    }

    struct FixtureMissing: Error {
        var name: String
    }
}

/// Foundation's encoder configured as the bus codec promises to match.
func foundationEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// A deterministic random number generator (SplitMix64), so randomised tests repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
