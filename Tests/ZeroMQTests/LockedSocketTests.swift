import Testing
import ZeroMQ

/// One socket sending from several threads in turn.
@Suite("LockedSocket", .timeLimit(.minutes(1)))
struct LockedSocketTests {
    @Test("messages sent from several threads in turn all arrive, each sender's in its order")
    func sendersTakeTurns() async throws {
        let context = try Context()
        let receiver = try Socket(context: context, type: .pull)
        try receiver.setOption(.receiveTimeout, .milliseconds(5000))
        try receiver.bind("tcp://127.0.0.1:*")
        let endpoint = try receiver.lastEndpoint()
        let sender = try LockedSocket(context: context, type: .push) { socket in
            try socket.setOption(.sendHighWaterMark, 0)  // No limit: a send never waits or drops.
            try socket.connect(endpoint)
        }
        let senders = 4
        let each = 2_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in 0..<senders {
                group.addTask {
                    for number in 0..<each {
                        try sender.withSocket { socket in
                            _ = try socket.send(Message(frames: [[UInt8(name)], Array("\(number)".utf8)]))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        var next = Array(repeating: 0, count: senders)
        for _ in 0..<(senders * each) {
            let message = try #require(try receiver.receive())
            let name = Int(message.frames[0][0])
            #expect(Int(String(decoding: message.frames[1], as: UTF8.self)) == next[name])
            next[name] += 1
        }
        #expect(next == Array(repeating: each, count: senders))
        #expect(try receiver.receive(dontWait: true) == nil)
    }

    @Test("a closed locked socket refuses with the socket-closed error")
    func closedRefuses() throws {
        let sender = try LockedSocket(context: try Context(), type: .push) { _ in }
        sender.close()
        let error = #expect(throws: ZeroMQError.self) {
            try sender.withSocket { _ = try $0.send(Array("late".utf8), dontWait: true) }
        }
        #expect(error?.code == .socketClosed)
        #expect(sender.withSocket { $0.isClosed })
    }
}
