import ServiceKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The I/O side of `huddle up`: spawns the children, probes their health, listens for signals and timers, and
/// carries out what ``Supervision`` decides.
struct Supervisor {
    let plans: [ServicePlan]
    let startupTimeout: Duration
    let shutdownTimeout: Duration
    /// How long reaping may take after SIGKILL, which cannot be caught.
    var killTimeout: Duration = .seconds(5)
    /// The pause between two health probes of a service that is not up yet.
    var probeInterval: Duration = .milliseconds(100)

    /// Supervises until every child has stopped; returns `huddle`'s exit status.
    func run() async -> Int32 {
        let (events, sink) = AsyncStream.makeStream(of: SupervisorEvent.self)
        // Listen before spawning, so that a Ctrl-C during start-up also stops the children cleanly.
        let signals = SignalListener(signals: [SIGINT, SIGTERM]) { sink.yield(.signal($0)) }
        defer { signals.cancel() }

        let children = spawnAll(reportingTo: sink)
        let probes = ProbeRecord()
        var tasks = children.values.map { child in
            Task { await waitUntilHealthy(child.plan, probes: probes, sink: sink) }
        }
        defer {
            for task in tasks {
                task.cancel()
            }
        }

        var supervision = Supervision(services: plans.map(\.name))
        var pending = supervision.start()
        var iterator = events.makeAsyncIterator()
        while true {
            for action in pending {
                if let status = perform(action, children: children, probes: probes, sink: sink, tasks: &tasks) {
                    return status
                }
            }
            // The stream never finishes: nothing calls `finish()`, and children and timers keep feeding it.
            guard let event = await iterator.next() else { return 1 }
            pending = supervision.handle(event)
        }
    }

    /// Starts every planned service; one that cannot be started becomes a ``SupervisorEvent/failedToStart(_:_:)``.
    private func spawnAll(reportingTo sink: AsyncStream<SupervisorEvent>.Continuation) -> [ServiceName: ChildService] {
        var children: [ServiceName: ChildService] = [:]
        for plan in plans {
            do {
                children[plan.name] = try ChildService.start(plan: plan, output: .standardError) { name, exit in
                    sink.yield(.exited(name, exit))
                }
            } catch {
                sink.yield(.failedToStart(plan.name, error.description))
            }
        }
        return children
    }

    /// Carries out one action; returns the exit status once supervision is over.
    private func perform(
        _ action: SupervisorAction,
        children: [ServiceName: ChildService],
        probes: ProbeRecord,
        sink: AsyncStream<SupervisorEvent>.Continuation,
        tasks: inout [Task<Void, Never>]
    ) -> Int32? {
        switch action {
        case .announceReady:
            announceReady(children)
        case .reportFailure(let name, let reason):
            report(name, reason, recentLines: children[name]?.recentLines ?? [])
        case .reportNotHealthy(let names):
            for name in names {
                let probe = probes.last(name) ?? "no answer yet"
                let reason = "was not healthy after \(startupTimeout) (last probe: \(probe))"
                report(name, reason, recentLines: children[name]?.recentLines ?? [])
            }
        case .note(let text):
            LogLineWriter.standardOutput.writeLine("huddle up: \(text)")
        case .send(let signal, let names):
            for name in names {
                children[name]?.send(signal)
            }
        case .startTimer(let timer):
            tasks.append(start(timer, sink: sink))
        case .finish(let status):
            let outcome = status == 0 ? "all services stopped" : "stopped (exit status \(status))"
            LogLineWriter.standardOutput.writeLine("huddle up: \(outcome)")
            return status
        }
        return nil
    }

    private func waitUntilHealthy(
        _ plan: ServicePlan,
        probes: ProbeRecord,
        sink: AsyncStream<SupervisorEvent>.Continuation
    ) async {
        while !Task.isCancelled {
            switch await HealthProbe.check(host: plan.probeHost, port: plan.port) {
            case .healthy(let status) where status.service == plan.name.executableName:
                sink.yield(.healthy(plan.name))
                return
            case .healthy(let status):
                probes.record(plan.name, "port \(plan.port) answered as \(status.service)")
            case .unexpected(let text), .unreachable(let text):
                probes.record(plan.name, text)
            }
            try? await Task.sleep(for: probeInterval)
        }
    }

    private func start(_ timer: SupervisorTimer, sink: AsyncStream<SupervisorEvent>.Continuation) -> Task<Void, Never> {
        let duration =
            switch timer {
            case .startup: startupTimeout
            case .shutdown: shutdownTimeout
            case .kill: killTimeout
            }
        return Task {
            guard (try? await Task.sleep(for: duration)) != nil else { return }
            sink.yield(.timerFired(timer))
        }
    }

    private func announceReady(_ children: [ServiceName: ChildService]) {
        let rows = plans.map { plan in
            StatusTable.Row(service: plan.name.executableName, url: plan.url, pid: children[plan.name]?.pid ?? 0)
        }
        for line in StatusTable.render(rows) {
            LogLineWriter.standardOutput.writeLine(line)
        }
        LogLineWriter.standardOutput.writeLine("huddle up: all services are healthy; press Ctrl-C to stop them")
    }

    private func report(_ name: ServiceName, _ reason: String, recentLines: [String]) {
        var lines = ["huddle up: \(name.executableName) \(reason)"]
        if recentLines.isEmpty {
            lines.append("  (it wrote no log lines)")
        } else {
            lines.append("  last \(recentLines.count) lines of its log:")
            lines += recentLines.map { "    \($0)" }
        }
        for line in lines {
            LogLineWriter.standardError.writeLine(line)
        }
    }
}

/// The latest health-probe result of each service that is not healthy yet, for the startup failure report.
final class ProbeRecord: Sendable {
    private let results = Mutex<[ServiceName: String]>([:])

    func record(_ name: ServiceName, _ result: String) {
        results.withLock { $0[name] = result }
    }

    func last(_ name: ServiceName) -> String? {
        results.withLock { $0[name] }
    }
}
