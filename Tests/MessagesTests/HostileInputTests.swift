import Foundation
import Messages
import Testing

// MARK: - The hostile messages, each with the rule and field it must be refused for

/// One hostile message: an edit of the signal fixture (or raw bytes), and the rule and field the
/// decoder must name when it refuses it.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: @Sendable (String) -> [UInt8]
    var code: MessageDecodingError.Code
    var path: String
    var limits = DecodingLimits.standard

    var testDescription: String { name }

    /// A case that replaces `original` (which must occur exactly once) in the fixture with `replacement`.
    static func replacing(
        _ name: String,
        _ original: String,
        with replacement: String,
        code: MessageDecodingError.Code,
        path: String
    ) -> HostileCase {
        HostileCase(
            name: name,
            input: { text in
                precondition(text.components(separatedBy: original).count == 2, "`\(original)` must occur once")
                return Array(text.replacingOccurrences(of: original, with: replacement).utf8)
            },
            code: code,
            path: path
        )
    }

    /// A case that replaces `original` in the fixture with raw bytes.
    static func replacing(
        _ name: String,
        _ original: String,
        withBytes replacement: [UInt8],
        code: MessageDecodingError.Code,
        path: String
    ) -> HostileCase {
        HostileCase(
            name: name,
            input: { text in
                let parts = text.components(separatedBy: original)
                precondition(parts.count == 2, "`\(original)` must occur once")
                return Array(parts[0].utf8) + replacement + Array(parts[1].utf8)
            },
            code: code,
            path: path
        )
    }

    static let all: [HostileCase] = [
        HostileCase(name: "empty input", input: { _ in [] }, code: .truncated, path: ""),
        HostileCase(name: "only whitespace", input: { _ in Array(" \n\t ".utf8) }, code: .truncated, path: ""),
        HostileCase(
            name: "cut in half",
            input: { Array($0.utf8.prefix($0.utf8.count / 2)) },
            code: .truncated,
            path: "data.properties.url"
        ),
        HostileCase(
            name: "cut before the last brace",
            input: { Array($0.utf8.dropLast()) },
            code: .truncated,
            path: ""
        ),
        HostileCase(name: "trailing garbage", input: { Array(($0 + "x").utf8) }, code: .trailingData, path: ""),
        HostileCase(name: "a second value", input: { Array(($0 + " {}").utf8) }, code: .trailingData, path: ""),
        HostileCase(
            name: "a byte order mark",
            input: { [0xEF, 0xBB, 0xBF] + Array($0.utf8) },
            code: .invalidSyntax,
            path: ""
        ),
        replacing(
            "invalid UTF-8",
            "Enterprise",
            withBytes: [0xC3, 0x28],
            code: .invalidUTF8,
            path: "data.properties.title"
        ),
        replacing(
            "overlong UTF-8",
            "Enterprise",
            withBytes: [0xC0, 0xAF],
            code: .invalidUTF8,
            path: "data.properties.title"
        ),
        replacing(
            "a UTF-8 encoded surrogate",
            "Enterprise",
            withBytes: [0xED, 0xA0, 0x80],
            code: .invalidUTF8,
            path: "data.properties.title"
        ),
        replacing(
            "a raw control character",
            "page-viewed",
            with: "page\tviewed",
            code: .invalidSyntax,
            path: "data.kind"
        ),
        replacing("an invalid escape", "page-viewed", with: #"page\xviewed"#, code: .invalidSyntax, path: "data.kind"),
        replacing(
            "an unpaired surrogate escape",
            "page-viewed",
            with: #"page\ud800viewed"#,
            code: .invalidSyntax,
            path: "data.kind"
        ),
        replacing("a leading zero", #""seq":1204877"#, with: #""seq":01204877"#, code: .invalidSyntax, path: "seq"),
        replacing(
            "a trailing comma",
            #""source":"web","#,
            with: #""source":"web",}"#,
            code: .invalidSyntax,
            path: "data"
        ),
        replacing(
            "a single-quoted string",
            #""publisher":"signals-7f2c""#,
            with: #""publisher":'signals-7f2c'"#,
            code: .invalidSyntax,
            path: "publisher"
        ),
        replacing(
            "a number where a string belongs",
            #""accountID":"acc-nordwind-logistik""#,
            with: #""accountID":42"#,
            code: .typeMismatch,
            path: "data.accountID"
        ),
        replacing(
            "a string where a number belongs",
            #""seq":1204877"#,
            with: #""seq":"1204877""#,
            code: .typeMismatch,
            path: "seq"
        ),
        replacing(
            "null for a required field",
            #""source":"/huddle/signals""#,
            with: #""source":null"#,
            code: .typeMismatch,
            path: "source"
        ),
        replacing(
            "an object where a property value belongs",
            #""durationSeconds":47"#,
            with: #""durationSeconds":{}"#,
            code: .typeMismatch,
            path: "data.properties.durationSeconds"
        ),
        replacing(
            "an array where an object belongs",
            #""properties":{"#,
            with: #""properties":[{"#,
            code: .invalidSyntax,
            path: "data.properties"
        ),
        replacing(
            "a fraction where an integer belongs",
            #""schemaversion":1"#,
            with: #""schemaversion":1.5"#,
            code: .typeMismatch,
            path: "schemaversion"
        ),
        replacing(
            "seq above UInt64.max",
            #""seq":1204877"#,
            with: #""seq":18446744073709551616"#,
            code: .numberOutOfRange,
            path: "seq"
        ),
        replacing("a negative seq", #""seq":1204877"#, with: #""seq":-1"#, code: .numberOutOfRange, path: "seq"),
        replacing(
            "a double beyond Double's range",
            #""scrollDepth":0.85"#,
            with: #""scrollDepth":1e999"#,
            code: .numberOutOfRange,
            path: "data.properties.scrollDepth"
        ),
        replacing(
            "a 150-digit number",
            #""seq":1204877"#,
            with: #""seq":"# + String(repeating: "9", count: 150),
            code: .numberOutOfRange,
            path: "seq"
        ),
        replacing("seq zero", #""seq":1204877"#, with: #""seq":0"#, code: .invalidValue, path: "seq"),
        replacing("a missing field", #""publisher":"signals-7f2c","#, with: "", code: .missingField, path: "publisher"),
        replacing("a missing payload", #""data":{"#, with: #""other":{"#, code: .missingField, path: "data"),
        replacing(
            "a duplicate field",
            #""seq":1204877,"#,
            with: #""seq":1204877,"seq":1204878,"#,
            code: .duplicateField,
            path: "seq"
        ),
        replacing(
            "a duplicate property",
            #""referrer":null"#,
            with: #""referrer":null,"referrer":"x""#,
            code: .duplicateField,
            path: "data.properties.referrer"
        ),
        replacing(
            "an escaped duplicate field",
            #""seq":1204877,"#,
            with: #""seq":1204877,"s\u0065q":3,"#,
            code: .duplicateField,
            path: "seq"
        ),
        replacing(
            "an impossible date",
            "2026-11-25T02:31:32.987654Z",
            with: "2026-02-30T02:31:32.987654Z",
            code: .invalidValue,
            path: "time"
        ),
        replacing(
            "a timestamp without a zone",
            "2026-11-25T02:31:32.987654Z",
            with: "2026-11-25T02:31:32.987654",
            code: .invalidValue,
            path: "time"
        ),
        replacing(
            "a version 4 event id",
            "01a2108b-477b-76e9",
            with: "01a2108b-477b-46e9",
            code: .invalidValue,
            path: "id"
        ),
        replacing(
            "a stream without a bucket",
            #""stream":"signal.7b""#,
            with: #""stream":"signal.7""#,
            code: .invalidValue,
            path: "stream"
        ),
        replacing(
            "an unknown schemaversion",
            #""schemaversion":1"#,
            with: #""schemaversion":2"#,
            code: .unsupportedSchemaVersion,
            path: "schemaversion"
        ),
        replacing(
            "another CloudEvents version",
            #""specversion":"1.0""#,
            with: #""specversion":"0.3""#,
            code: .invalidValue,
            path: "specversion"
        ),
        replacing(
            "another content type",
            #""datacontenttype":"application/json""#,
            with: #""datacontenttype":"text/plain""#,
            code: .invalidValue,
            path: "datacontenttype"
        ),
        replacing(
            "nesting deeper than the limit",
            #""referrer":null"#,
            with: #""referrer":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
            code: .tooDeep,
            path: "data.properties.referrer" + String(repeating: "[0]", count: 29)
        ),
        HostileCase(
            name: "larger than the limit",
            input: { Array($0.utf8) },
            code: .tooLarge,
            path: "",
            limits: DecodingLimits(maxInputBytes: 100)
        ),
        HostileCase(
            name: "a string longer than the limit",
            input: { Array($0.utf8) },
            code: .stringTooLong,
            path: "data.accountDomain",
            limits: DecodingLimits(maxStringBytes: 16)
        ),
    ]
}

// MARK: - Tests

@Suite("Hostile input")
struct HostileInputTests {
    @Test("each hostile message is refused with the rule and the field it breaks", arguments: HostileCase.all)
    func refused(hostile: HostileCase) throws {
        let bytes = hostile.input(try Fixture.signalText())
        let codec = BusCodec(limits: hostile.limits)
        let error = #expect(throws: MessageDecodingError.self) { try codec.decodeEvent(from: bytes) }
        #expect(error?.code == hostile.code)
        #expect(error?.path == hostile.path)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("errors read as the field, then the rule")
    func description() throws {
        let text = try Fixture.signalText().replacingOccurrences(
            of: #""accountID":"acc-nordwind-logistik""#,
            with: #""accountID":42"#
        )
        let error = #expect(throws: MessageDecodingError.self) { try BusCodec().decodeEvent(from: Array(text.utf8)) }
        #expect(error?.description == "`data.accountID`: expected a string, found a number")
    }

    @Test("an unknown schemaversion names the field and the supported versions")
    func schemaVersionError() throws {
        let text = try Fixture.signalText().replacingOccurrences(of: #""schemaversion":1"#, with: #""schemaversion":7"#)
        for decode in [
            { try BusCodec().decodeEvent(from: Array(text.utf8)) as Any },
            { try BusCodec().decode(Envelope<Signal>.self, from: Array(text.utf8)) as Any },
        ] {
            let error = #expect(throws: MessageDecodingError.self) { try decode() }
            #expect(error?.path == "schemaversion")
            #expect(error?.reason == "huddle.signal.recorded supports schemaversion 1; this message has 7")
        }
    }

    @Test("nesting far beyond the limit is refused without exhausting the stack")
    func deepNesting() {
        let bytes = Array(repeating: UInt8(ascii: "["), count: 200_000)
        let error = #expect(throws: MessageDecodingError.self) { try BusCodec().decode([Int].self, from: bytes) }
        #expect(error?.code == .tooDeep)
    }

    @Test("unknown fields are ignored: additive changes within a schemaversion")
    func unknownFieldsIgnored() throws {
        let original = try Fixture.signalText()
        let extended =
            original
            .replacingOccurrences(of: #""source":"web","#, with: #""source":"web","newField":{"nested":[1,2.5,null]},"#)
            .replacingOccurrences(of: #""seq":1204877,"#, with: #""seq":1204877,"traceparent":"00-abc","#)
        let codec = BusCodec()
        #expect(try codec.decodeEvent(from: Array(extended.utf8)) == codec.decodeEvent(from: Array(original.utf8)))
    }

    @Test("errors from Foundation's decoder convert to the same shape")
    func foundationErrorsConvert() throws {
        let text = try Fixture.signalText().replacingOccurrences(
            of: #""accountID":"acc-nordwind-logistik""#,
            with: #""accountID":42"#
        )
        do {
            _ = try JSONDecoder().decode(BusEvent.self, from: Data(text.utf8))
            Issue.record("Foundation accepted a number for a string")
        } catch {
            let converted = MessageDecodingError(error)
            #expect(converted.code == .typeMismatch)
            #expect(converted.path == "data.accountID")
        }
        let missing = try Fixture.signalText().replacingOccurrences(of: #""publisher":"signals-7f2c","#, with: "")
        do {
            _ = try JSONDecoder().decode(BusEvent.self, from: Data(missing.utf8))
            Issue.record("Foundation accepted a message without a publisher")
        } catch {
            #expect(
                MessageDecodingError(error)
                    == MessageDecodingError(code: .missingField, path: "publisher", reason: "required field is missing")
            )
        }
    }

    @Test("thousands of corrupted messages decode or fail cleanly", arguments: Fixture.names)
    func mutations(name: String) throws {
        let original = try Fixture.bytes(name)
        var random = SeededRandom(state: UInt64(name.utf8.count))
        let codec = BusCodec()
        var refused = 0
        for round in 0..<1500 {
            var bytes = original
            switch round % 4 {
            case 0:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(
                    1 << Int.random(in: 0..<8, using: &random)
                )
            case 1: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            case 2:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &random),
                    at: Int.random(in: 0...bytes.count, using: &random)
                )
            default: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
            }
            do {
                _ = try codec.decodeEvent(from: bytes)
            } catch {
                refused += 1
                #expect(!error.reason.isEmpty)
            }
        }
        #expect(refused > 1000)
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var random = SeededRandom(state: 99)
        let alphabet = Array(#"{}[]":,0123456789-+.eEtrufalsn \"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0..<64, using: &random)).map { _ in alphabet.randomElement(using: &random)!
            }
            _ = try? BusCodec().decode(PropertyValue.self, from: bytes)
            _ = try? BusCodec().decode([String: [Int]].self, from: bytes)
        }
    }
}
