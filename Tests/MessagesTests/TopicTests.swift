import Messages
import Testing

@Suite("Topics, buckets and streams")
struct TopicTests {
    // FNV-1a 32-bit values computed with an independent implementation (the Python snippet in
    // AccountBucket's documentation); the first three are the algorithm's published test vectors.
    @Test(
        "account buckets follow FNV-1a 32-bit modulo 256",
        arguments: [
            ("", 0x811C_9DC5 as UInt32, "c5"), ("a", 0xE40C_292C, "2c"), ("foobar", 0xBF9C_F968, "68"),
            ("acc-nordwind-logistik", 0xDA3F_817B, "7b"), ("acc_7f3a9c", 0xE370_32D2, "d2"),
            ("Björk AB", 0x06A0_AAD6, "d6"),
        ]
    )
    func knownBuckets(accountID: String, hash: UInt32, bucket: String) {
        #expect(AccountBucket.fnv1a32(accountID.utf8) == hash)
        #expect(AccountBucket(accountID: accountID).description == bucket)
    }

    @Test("every bucket renders as two lowercase hex digits and parses back")
    func bucketRoundTrip() throws {
        for bucket in AccountBucket.all + [.noAccount] {
            #expect(try AccountBucket(bucket.description) == bucket)
        }
        #expect(Set(AccountBucket.all.map(\.description)).count == 256)
        #expect(AccountBucket.noAccount.description == "--")
    }

    @Test("malformed buckets are refused", arguments: ["3F", "g0", "-", "---", "0x", "", "+1"])
    func badBuckets(text: String) {
        #expect(throws: MessageDecodingError.self) { try AccountBucket(text) }
    }

    @Test("a topic parses into family, bucket and type, and renders back")
    func parse() throws {
        let topic = try Topic("signal.3f.page-viewed")
        #expect(topic.stream.family == .signal)
        #expect(topic.stream.bucket == AccountBucket(index: 0x3F))
        #expect(topic.type == "page-viewed")
        #expect(topic.description == "signal.3f.page-viewed")
        #expect(topic.bytes == Array("signal.3f.page-viewed".utf8))
        #expect(try Topic(bytes: topic.bytes) == topic)
        #expect(try Topic(bytes: topic.bytes[...]) == topic)
        #expect(try Topic("org.--.team-formed").stream.bucket == .noAccount)
    }

    @Test("a family this build does not know is kept, not refused")
    func unknownFamily() throws {
        let topic = try Topic("forecast.0a.revised")
        #expect(topic.stream.family == .unknown("forecast"))
        #expect(topic.description == "forecast.0a.revised")
    }

    @Test(
        "malformed topics are refused with the rule they break",
        arguments: [
            ("signal.3f", "3 dot-separated parts"), ("signal.3f.a.b", "3 dot-separated parts"),
            ("signal.3F.page-viewed", "bucket"), ("signal.3.page-viewed", "bucket"),
            ("Signal.3f.page-viewed", "family"),
            (".3f.page-viewed", "family"), ("9signal.3f.x", "family"), ("signal.3f.Page-Viewed", "type"),
            ("signal.3f.", "type"), ("signal.3f.page_viewed", "type"),
            ("signal.3f." + String(repeating: "a", count: 65), "type"),
            ("signal.3f." + String(repeating: "a", count: 91), "longer than"),
            ("signal.3f.pagé", "type"),
        ]
    )
    func malformed(text: String, rule: String) {
        let error = #expect(throws: MessageDecodingError.self) { try Topic(text) }
        #expect(error?.reason.contains(rule) == true)
        #expect(error?.code == .invalidValue)
    }

    @Test("a topic type of 64 characters is the longest allowed")
    func longestType() throws {
        let type = String(repeating: "a", count: 64)
        #expect(try Topic(stream: StreamName(family: .signal, bucket: .noAccount), type: type).type == type)
    }

    @Test("a stream is the family and bucket prefix of its topics")
    func streams() throws {
        let stream = try StreamName("project.7b")
        #expect(stream == StreamName(family: .project, bucket: AccountBucket(index: 0x7B)))
        #expect(stream.description == "project.7b")
        #expect(stream.topicPrefix == Array("project.7b.".utf8))
        #expect(try Topic(stream: stream, type: "opened").description == "project.7b.opened")
        for bad in ["project", "project.7b.x", "project.7", "Project.7b", "project.7B"] {
            #expect(throws: MessageDecodingError.self) { try StreamName(bad) }
        }
    }

    @Test("a stream recognises its own topics, exactly as its prefix does")
    func recognisesItsTopics() throws {
        let topics = [
            "project.7b.opened", "project.7b.", "project.7b", "project.7c.opened", "project.7b-opened",
            "projects.7b.opened", "signal.7b.opened", "project..opened", "", "project.--.opened",
        ]
        for stream in [try StreamName("project.7b"), try StreamName("project.--"), try StreamName("signal.00")] {
            for topic in topics + ["\(stream).x"] {
                let bytes = Array(topic.utf8)
                #expect(stream.isPrefix(of: bytes) == bytes.starts(with: stream.topicPrefix), "\(stream) \(topic)")
            }
            #expect(stream.isPrefix(of: Array("\(stream).page-viewed".utf8)))
        }
    }

    @Test("every family names itself and parses back")
    func families() {
        for family in TopicFamily.known {
            #expect(TopicFamily(name: family.name) == family)
        }
        #expect(TopicFamily(name: "coaching") == .coaching)
        #expect(TopicFamily(name: "Coaching") == nil)
    }
}
