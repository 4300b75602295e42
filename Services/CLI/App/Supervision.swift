import ServiceKit

#if canImport(Glibc)
    import Glibc
#endif

/// Something that happened to `huddle up` or one of its children.
enum SupervisorEvent: Sendable, Equatable {
    /// `huddle` received SIGINT or SIGTERM.
    case signal(Int32)
    /// The service answered `GET /health` as itself.
    case healthy(ServiceName)
    /// The service's process ended (all its output has been forwarded).
    case exited(ServiceName, ChildExit)
    /// The service's process could not be started at all.
    case failedToStart(ServiceName, String)
    /// A timer started by ``SupervisorAction/startTimer(_:)`` ran out.
    case timerFired(SupervisorTimer)
}

/// The deadlines `huddle up` keeps.
enum SupervisorTimer: Sendable, Equatable {
    /// Every service must be healthy before it.
    case startup
    /// After SIGTERM, every service must have stopped before it.
    case shutdown
    /// After SIGKILL, every service must have been reaped before it.
    case kill
}

/// What the shell must do next.
enum SupervisorAction: Sendable, Equatable {
    /// Every service is healthy: print where each listens.
    case announceReady
    /// This service failed; print why, with the last lines of its log.
    case reportFailure(ServiceName, String)
    /// These services were not healthy in time; print the last probe result and log lines of each.
    case reportNotHealthy([ServiceName])
    /// Print a progress line.
    case note(String)
    /// Send this signal to these services.
    case send(Int32, to: [ServiceName])
    /// Start this deadline.
    case startTimer(SupervisorTimer)
    /// Stop supervising and exit with this status.
    case finish(Int32)
}

/// The decisions of `huddle up`, without any I/O: events in, actions out.
///
/// Starting: every child must become healthy before the startup deadline, and none may exit. Running: a signal
/// stops everything with status 0; a child that exits stops everything with status 1. Stopping: SIGTERM to every
/// child, then SIGKILL to those still running at the shutdown deadline (or at a second signal).
struct Supervision {
    enum Phase: Equatable {
        case starting
        case running
        case stopping(exitStatus: Int32)
        case killing(exitStatus: Int32)
        case finished
    }

    private(set) var phase = Phase.starting
    private(set) var running: Set<ServiceName>
    private(set) var healthy: Set<ServiceName> = []
    let services: [ServiceName]

    /// Supervision of `services`, all of which have been started.
    init(services: [ServiceName]) {
        self.services = services
        self.running = Set(services)
    }

    /// The actions that start supervision.
    func start() -> [SupervisorAction] {
        [.startTimer(.startup)]
    }

    mutating func handle(_ event: SupervisorEvent) -> [SupervisorAction] {
        switch (phase, event) {
        case (.finished, _):
            return []

        case (.starting, .healthy(let name)):
            healthy.insert(name)
            guard healthy.count == services.count else { return [] }
            phase = .running
            return [.announceReady]

        case (.starting, .timerFired(.startup)):
            let late = services.filter { !healthy.contains($0) }
            return [.reportNotHealthy(late)] + beginStopping(exitStatus: 1)

        case (.starting, .signal(let number)), (.running, .signal(let number)):
            return [.note("received \(Self.signalName(number)); stopping all services")]
                + beginStopping(exitStatus: 0)

        case (.starting, .exited(let name, let exit)), (.running, .exited(let name, let exit)):
            running.remove(name)
            let when = healthy.contains(name) ? "unexpectedly" : "before it became healthy"
            return [.reportFailure(name, "\(exit) \(when)")] + beginStopping(exitStatus: 1)

        case (.starting, .failedToStart(let name, let reason)), (.running, .failedToStart(let name, let reason)):
            running.remove(name)
            return [.reportFailure(name, reason)] + beginStopping(exitStatus: 1)

        case (.stopping(let status), .exited(let name, _)), (.killing(let status), .exited(let name, _)):
            running.remove(name)
            return running.isEmpty ? finish(status) : []

        case (.stopping(let status), .failedToStart(let name, _)), (.killing(let status), .failedToStart(let name, _)):
            running.remove(name)
            return running.isEmpty ? finish(status) : []

        case (.stopping(let status), .signal):
            phase = .killing(exitStatus: status)
            return [
                .note("second signal; killing \(names(running))"), .send(SIGKILL, to: sorted(running)),
                .startTimer(.kill),
            ]

        case (.stopping(let status), .timerFired(.shutdown)):
            phase = .killing(exitStatus: status)
            return [
                .note("still running at the shutdown deadline, killing: \(names(running))"),
                .send(SIGKILL, to: sorted(running)), .startTimer(.kill),
            ]

        case (.killing(let status), .timerFired(.kill)):
            return [.note("not reaped after SIGKILL: \(names(running))")] + finish(status)

        default:
            // Late health answers, expired timers of an earlier phase, signals while killing: nothing to do.
            return []
        }
    }

    private mutating func beginStopping(exitStatus: Int32) -> [SupervisorAction] {
        guard !running.isEmpty else { return finish(exitStatus) }
        phase = .stopping(exitStatus: exitStatus)
        return [.send(SIGTERM, to: sorted(running)), .startTimer(.shutdown)]
    }

    private mutating func finish(_ status: Int32) -> [SupervisorAction] {
        phase = .finished
        return [.finish(status)]
    }

    /// The services in their table order.
    private func sorted(_ set: Set<ServiceName>) -> [ServiceName] {
        services.filter(set.contains)
    }

    private func names(_ set: Set<ServiceName>) -> String {
        sorted(set).map(\.executableName).joined(separator: ", ")
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
