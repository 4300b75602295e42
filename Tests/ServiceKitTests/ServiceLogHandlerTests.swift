import Foundation
import Logging
import ServiceKit
import Synchronization
import Testing

@Suite("Structured log lines", .timeLimit(.minutes(1)))
struct ServiceLogHandlerTests {
    /// Collects the lines a handler writes.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var writer: LogLineWriter { LogLineWriter { line in self.lines.withLock { $0.append(line) } } }
    }

    private func logger(_ lines: Lines, format: LogFormat = .json, level: Logger.Level = .info) -> Logger {
        var configuration = ServiceConfiguration(service: .accounts)
        configuration.logging = .init(level: level, format: format)
        return ServiceLogging.logger(label: "huddle.test", configuration: configuration, writer: lines.writer)
    }

    private func object(_ line: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(line)")
    }

    @Test("a JSON line carries ts, level, service, label, msg and the metadata as fields")
    func jsonFields() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "team"] = "north"
        logger.info("focus list saved", metadata: ["accounts": "50", "ids": ["a", "b"], "owner": ["id": "p1"]])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(!line.contains("\n"))
        let fields = try object(line)
        #expect(fields["level"] as? String == "info")
        #expect(fields["service"] as? String == "huddle-accounts")
        #expect(fields["label"] as? String == "huddle.test")
        #expect(fields["msg"] as? String == "focus list saved")
        #expect(fields["team"] as? String == "north")
        #expect(fields["accounts"] as? String == "50")
        #expect(fields["ids"] as? [String] == ["a", "b"])
        #expect((fields["owner"] as? [String: String]) == ["id": "p1"])
        let timestamp = try #require(fields["ts"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(ISO8601DateFormatter().date(from: timestamp.replacing(/\.\d{3}/, with: "")) != nil)
    }

    @Test("quotes, backslashes, newlines, control characters and non-ASCII text survive as valid JSON")
    func escaping() throws {
        let lines = Lines()
        let nasty = "say \"hi\"\\ now\nnext\tline\r\u{01}\u{1F}\u{7F} — Zoë 🚀"
        logger(lines).warning("\(nasty)", metadata: [nasty: "\(nasty)"])
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{01}"))
        let fields = try object(line)
        #expect(fields["msg"] as? String == nasty)
        #expect(fields[nasty] as? String == nasty)
        #expect(fields["level"] as? String == "warning")
    }

    @Test("metadata cannot overwrite the fixed fields")
    func reservedKeys() throws {
        let lines = Lines()
        logger(lines).error("boom", metadata: ["msg": "other", "level": "trace", "service": "fake"])
        let fields = try object(try #require(lines.all.first))
        #expect(fields["msg"] as? String == "boom")
        #expect(fields["level"] as? String == "error")
        #expect(fields["service"] as? String == "huddle-accounts")
        #expect(fields["metadata.msg"] as? String == "other")
        #expect(fields["metadata.level"] as? String == "trace")
    }

    @Test("an error attached to the event is written in the error field")
    func errorField() throws {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "disk \"/data\" is full" }
        }
        let lines = Lines()
        logger(lines).critical("cannot write", error: DiskFull())
        let fields = try object(try #require(lines.all.first))
        #expect(fields["error"] as? String == "disk \"/data\" is full")
    }

    @Test("events below the configured level are not written")
    func levelFilter() {
        let lines = Lines()
        let logger = logger(lines, level: .warning)
        logger.info("quiet")
        logger.debug("quieter")
        logger.warning("loud")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("loud") == true)
    }

    @Test("the text format writes one readable line per event")
    func textFormat() throws {
        let lines = Lines()
        logger(lines, format: .text).notice("two\nlines", metadata: ["port": "8081"])
        let line = try #require(lines.all.first)
        #expect(line.wholeMatch(of: /\S+Z notice huddle-accounts \[huddle\.test\] two\\nlines port=8081/) != nil)
    }

    @Test("timestamps are RFC 3339 in UTC with milliseconds")
    func timestamp() {
        #expect(LogTimestamp.format(secondsSinceEpoch: 0, nanoseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(
            LogTimestamp.format(secondsSinceEpoch: 1_709_285_400, nanoseconds: 250_999_999)
                == "2024-03-01T09:30:00.250Z"
        )
    }

    @Test("JSON string quoting escapes exactly what JSON requires")
    func quoting() {
        #expect(JSONText.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONText.quoted("\u{00}\u{08}\u{0C}") == #""\u0000\b\f""#)
        #expect(JSONText.quoted("é/✓") == "\"é/✓\"")
    }
}
