import Synchronization
import TestDeadlines
import Testing
import ZeroMQ

@Suite("AsyncSocket", .timeLimit(.minutes(1)))
struct AsyncSocketTests {
    let context = try! Context()

    func connectedPushPull(
        pullConfiguration: AsyncSocket.Configuration = .init(),
        pushConfiguration: AsyncSocket.Configuration = .init()
    ) async throws -> (push: AsyncSocket, pull: AsyncSocket) {
        let endpoint = "inproc://async-\(UInt64.random(in: 0...UInt64.max))"
        let pull = try await AsyncSocket(context: context, type: .pull, configuration: pullConfiguration) {
            try $0.bind(endpoint)
        }
        let push = try await AsyncSocket(context: context, type: .push, configuration: pushConfiguration) {
            try $0.connect(endpoint)
        }
        return (push, pull)
    }

    @Test("messages sent from several tasks all arrive, each task's in order")
    func concurrentSenders() async throws {
        let (push, pull) = try await connectedPushPull(
            pushConfiguration: .init(sendQueueCapacity: 16),
        )
        let senders = 4
        let perSender = 5_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    for seq in 0..<perSender { try await push.send(Message(strings: ["\(sender)", "\(seq)"])) }
                }
            }
            var next = [Int](repeating: 0, count: senders)
            var total = 0
            for try await message in pull.messages {
                let sender = Int(message.string(at: 0)!)!
                #expect(Int(message.string(at: 1)!)! == next[sender])
                next[sender] += 1
                total += 1
                if total == senders * perSender { break }
            }
            try await group.waitForAll()
        }
        try await push.flush()
        #expect(push.statistics.sent == UInt64(senders * perSender))
        #expect(pull.statistics.received == UInt64(senders * perSender))
        try await push.close()
        try await pull.close()
    }

    @Test("a full send queue suspends the sender instead of dropping, and resumes when a peer appears")
    func backPressure() async throws {
        // An IPC path nobody listens on yet (inproc would queue to a pending peer regardless).
        let endpoint = "ipc:///tmp/huddle-late-peer-\(UInt64.random(in: 0...UInt64.max))"
        // With `immediate`, a PUSH without a completed connection cannot hand anything to libzmq:
        // the queue of 8 fills, then send waits.
        let push = try await AsyncSocket(context: context, type: .push, configuration: .init(sendQueueCapacity: 8)) {
            try $0.setOption(.immediate, true)
            try $0.connect(endpoint)
        }
        let progress = Atomic<Int>(0)
        let sender = Task {
            for seq in 0..<100 {
                try await push.send(Message(strings: ["\(seq)"]))
                progress.store(seq + 1, ordering: .relaxed)
            }
        }
        // The queue fills up to its capacity, and then the sender waits there.
        #expect(await eventually(timeout: .seconds(10)) { progress.load(ordering: .relaxed) >= 8 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(progress.load(ordering: .relaxed) == 8)

        let pull = try await AsyncSocket(context: context, type: .pull) { try $0.bind(endpoint) }
        var received: [String] = []
        for try await message in pull.messages {
            received.append(message.string(at: 0)!)
            if received.count == 100 { break }
        }
        try await sender.value
        #expect(received == (0..<100).map(String.init))
        try await push.close()
        try await pull.close()
    }

    @Test("a full receive queue stops reading; nothing is lost once the reader catches up")
    func boundedReceiveQueue() async throws {
        let (push, pull) = try await connectedPushPull(pullConfiguration: .init(receiveQueueCapacity: 4))
        // No flush here: whether libzmq's own buffers hold all 2,000 depends on its high-water
        // marks, and flushing would then wait for the reader below.
        for seq in 0..<2_000 { try await push.send(Message(strings: ["\(seq)"])) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(pull.statistics.received <= 4)
        var seqs: [Int] = []
        while seqs.count < 2_000 {
            seqs += try await pull.receiveBatch(maxCount: 100).map { Int($0.string(at: 0)!)! }
        }
        #expect(seqs == Array(0..<2_000))
        try await push.close()
        try await pull.close()
    }

    @Test("perform runs on the owner thread and returns its result")
    func perform() async throws {
        let socket = try await AsyncSocket(context: context, type: .pull) { try $0.bind("tcp://127.0.0.1:*") }
        let endpoint = try await socket.perform { try $0.lastEndpoint() }
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let error = await #expect(throws: ZeroMQError.self) { try await socket.perform { try $0.bind("bogus") } }
        #expect(error?.code == .libzmq)
        try await socket.close()
        await #expect(throws: ZeroMQError.self) { try await socket.perform { _ in 1 } }
    }

    @Test("a failing set-up is rethrown by the initializer")
    func failingSetUp() async throws {
        let error = await #expect(throws: ZeroMQError.self) {
            _ = try await AsyncSocket(context: context, type: .pull) { try $0.bind("tcp://256.0.0.1:1") }
        }
        #expect(error?.code == .libzmq)
    }

    @Test("close wakes a waiting receiver and ends the message sequence")
    func closeWakesReceivers() async throws {
        let pull = try await AsyncSocket(context: context, type: .pull) { try $0.bind("inproc://close-wakes") }
        let waiting = Task { try await pull.receive() }
        let iterating = Task {
            var count = 0
            for try await _ in pull.messages { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        try await pull.close()
        let error = await #expect(throws: ZeroMQError.self) { try await waiting.value }
        #expect(error?.code == .socketClosed)
        #expect(try await iterating.value == 0)
        await #expect(throws: ZeroMQError.self) { try await pull.send(Message(strings: ["late"])) }
    }

    @Test("a cancelled receive returns CancellationError and leaves the socket usable")
    func cancelledReceive() async throws {
        let (push, pull) = try await connectedPushPull()
        let waiting = Task { try await pull.receive() }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        try await push.send(Message(strings: ["still here"]))
        #expect(try await pull.receive() == Message(strings: ["still here"]))
        try await push.close()
        try await pull.close()
    }

    @Test("messages that cannot leave before close are reported, not silently lost")
    func discardedAtClose() async throws {
        let push = try await AsyncSocket(context: context, type: .push) { socket in
            try socket.setOption(.sendHighWaterMark, 1)
            try socket.connect("inproc://nobody-listens")
        }
        for seq in 0..<50 { try await push.send(Message(strings: ["\(seq)"])) }
        let error = await #expect(throws: ZeroMQError.self) { try await push.close(drainTimeout: .milliseconds(100)) }
        #expect(error?.code == .unsentMessagesDiscarded)
    }

    @Test("flush reports a message a mandatory ROUTER could not route")
    func flushReportsFailures() async throws {
        let router = try await AsyncSocket(context: context, type: .router) { try $0.setOption(.routerMandatory, true) }
        try await router.send(Message(strings: ["nobody", "hello"]))
        let error = await #expect(throws: ZeroMQError.self) { try await router.flush() }
        #expect(error?.isHostUnreachable == true)
        try await router.flush()
        #expect(router.statistics.sendFailures == 1)
        try await router.close()
    }

    @Test("over-limit messages are drained, counted and reported; later ones arrive")
    func rejectedMessages() async throws {
        let framesReports = Atomic<Int>(0)
        let bytesReports = Atomic<Int>(0)
        let (push, pull) = try await connectedPushPull(
            pullConfiguration: .init(
                receiveLimits: ReceiveLimits(maxFrames: 2, maxBytes: 100),
                onRejectedMessage: { error in
                    if error.code == .tooManyFrames {
                        framesReports.add(1, ordering: .relaxed)
                    } else {
                        bytesReports.add(1, ordering: .relaxed)
                    }
                }
            )
        )
        try await push.send(Message(frames: [[1], [2], [3]]))
        try await push.send(Message([UInt8](repeating: 0, count: 101)))
        try await push.send(Message(strings: ["fine"]))
        #expect(try await pull.receive() == Message(strings: ["fine"]))
        #expect(pull.statistics.rejected == 2)
        #expect(framesReports.load(ordering: .relaxed) == 1)
        #expect(bytesReports.load(ordering: .relaxed) == 1)
        try await push.close()
        try await pull.close()
    }

    @Test("shutting the context down fails the socket instead of hanging")
    func contextShutdown() async throws {
        let context = try Context()
        let pull = try await AsyncSocket(context: context, type: .pull) { try $0.bind("inproc://shutdown") }
        let waiting = Task { try await pull.receive() }
        try await Task.sleep(for: .milliseconds(50))
        context.shutdown()
        let error = await #expect(throws: ZeroMQError.self) { try await waiting.value }
        #expect(error?.isContextTerminated == true)
    }

    @Test("when close returns, the owner thread holds the context no longer")
    func closeReleasesContext() async throws {
        // A context the owner thread still held would be terminated after the caller moved on —
        // too late for a process that exits right after close, whose lingering messages were lost.
        for _ in 0..<50 {
            var context = try Context()
            let socket = try await AsyncSocket(context: context, type: .push) { try $0.connect("inproc://gone") }
            try await socket.send(Message(strings: ["queued"]))
            try? await socket.close(drainTimeout: .zero)
            #expect(isKnownUniquelyReferenced(&context))
        }
    }

    @Test("a socket released without close closes itself; its context then terminates")
    func releaseWithoutClose() async throws {
        var socket: AsyncSocket? = try await AsyncSocket(context: try Context(), type: .push) {
            try $0.connect("tcp://127.0.0.1:9")
        }
        try await socket?.send(Message(strings: ["queued"]))
        socket = nil
        // Reaching here without hanging is the point; the owner thread ends on its own.
        #expect(socket == nil)
    }
}
