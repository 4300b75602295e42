import TestDeadlines
import TestSupport
import Testing
import ZeroMQ

@Suite("pyzmq interop: ROUTER/DEALER", .timeLimit(.minutes(1)), .socketFolder)
struct RouterDealerInteropTests {
    /// The routing ids of the DEALERs; two, so that a reply sent to the wrong one shows.
    static let routingIDs = ["alpha", "beta"]
    static let requestsPerDealer = 3

    /// The requests `id` sends, in order: `["request", "<id>-<n>"]`.
    static func requests(from id: String) -> [Message] {
        (1...requestsPerDealer).map { Message(strings: ["request", "\(id)-\($0)"]) }
    }

    /// The reply a ROUTER gives to `request`: `["reply", …request]`.
    static func reply(to request: Message) -> Message {
        Message(frames: [Array("reply".utf8)] + request.frames)
    }

    @Test("a Swift ROUTER routes replies back to pyzmq DEALERs by routing id", arguments: Transport.allCases)
    func swiftRouterWithPythonDealers(transport: Transport) async throws {
        let context = try Context()
        let bindEndpoint = transport.bindEndpoint()
        let router = try await AsyncSocket(context: context, type: .router) { socket in
            try socket.setOption(.routerMandatory, true)
            try socket.bind(bindEndpoint)
        }
        let endpoint = try await router.perform { try $0.lastEndpoint() }
        let peer = try PythonPeer(
            "dealer",
            "--endpoint",
            endpoint,
            "--ids",
            Self.routingIDs.joined(separator: ","),
            "--requests",
            "\(Self.requestsPerDealer)"
        )
        let (requests, replies) = try await peer.explainingFailures {
            var requests: [String: [Message]] = [:]
            for number in 1...(Self.routingIDs.count * Self.requestsPerDealer) {
                let request = try await within(.seconds(10), waitingFor: "request \(number)") {
                    try await router.receive()
                }
                // [routing id, request…]: the reply goes to whichever peer the first frame names.
                let routingID = request.string(at: 0) ?? ""
                let body = Message(frames: Array(request.frames.dropFirst()))
                requests[routingID, default: []].append(body)
                try await router.send(Message(frames: [request.frames[0]] + Self.reply(to: body).frames))
            }
            // A mandatory ROUTER reports an unroutable reply here instead of dropping it. A ROUTER
            // never waits to send below its high-water mark, so this returns at once.
            try await router.flush()
            var replies: [String: [Message]] = [:]
            for event in try await peer.finish() {
                replies[event.socket ?? "?", default: []].append(event.message ?? Message())
            }
            return (requests, replies)
        }
        for id in Self.routingIDs {
            #expect(requests[id] == Self.requests(from: id), "\(peer.report)")
            #expect(replies[id] == Self.requests(from: id).map(Self.reply), "\(peer.report)")
        }
        #expect(Set(requests.keys) == Set(Self.routingIDs))
        #expect(Set(replies.keys) == Set(Self.routingIDs))
        try await router.close()
    }

    @Test("a pyzmq ROUTER routes replies back to Swift DEALERs by routing id", arguments: Transport.allCases)
    func pythonRouterWithSwiftDealers(transport: Transport) async throws {
        let context = try Context()
        let peer = try PythonPeer(
            "router",
            "--endpoint",
            transport.bindEndpoint(),
            "--count",
            "\(Self.routingIDs.count * Self.requestsPerDealer)"
        )
        let (replies, requests) = try await peer.explainingFailures {
            let endpoint = try #require(try await peer.next().endpoint, "the peer announces its endpoint first")
            var dealers: [String: AsyncSocket] = [:]
            for id in Self.routingIDs {
                dealers[id] = try await AsyncSocket(context: context, type: .dealer) { socket in
                    try socket.setOption(.routingID, Array(id.utf8))
                    try socket.connect(endpoint)
                }
            }
            for (id, dealer) in dealers {
                for request in Self.requests(from: id) {
                    try await dealer.send(request)
                }
            }
            var replies: [String: [Message]] = [:]
            for (id, dealer) in dealers {
                for number in 1...Self.requestsPerDealer {
                    replies[id, default: []].append(
                        try await within(.seconds(10), waitingFor: "reply \(number) to \(id)") {
                            try await dealer.receive()
                        }
                    )
                }
                try await dealer.close()
            }
            return (replies, try await peer.finish().compactMap(\.message))
        }
        for id in Self.routingIDs {
            #expect(replies[id] == Self.requests(from: id).map(Self.reply), "\(peer.report)")
            // The peer saw each request with the routing id of the DEALER that sent it.
            let seen = requests.filter { $0.string(at: 0) == id }.map { Message(frames: Array($0.frames.dropFirst())) }
            #expect(seen == Self.requests(from: id), "\(peer.report)")
        }
        #expect(requests.count == Self.routingIDs.count * Self.requestsPerDealer, "\(peer.report)")
    }
}
