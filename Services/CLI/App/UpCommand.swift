import ArgumentParser
import Foundation
import ServiceKit

/// `huddle up`: starts the five services on this machine, waits until each is healthy, and stops them together.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start every Huddle service on this machine and stop them together.",
        discussion: """
            Starts huddle-reporting, huddle-accounts, huddle-signals, huddle-coaching and huddle-bus as child \
            processes, waits until each answers GET /health, prints where each listens, then forwards their log \
            lines to standard error. Ctrl-C (SIGINT) or SIGTERM stops them all: each gets SIGTERM, and any still \
            running after --shutdown-timeout gets SIGKILL. Children also stop by themselves if huddle dies.

            The children inherit this environment (HUDDLE_LOG_LEVEL, HUDDLE_LOG_FORMAT, HUDDLE_DATA_DIR, …); \
            huddle sets HUDDLE_HTTP_PORT and HUDDLE_PARENT_PID for each.
            """
    )

    @Option(
        name: .customLong("http-port-base"),
        help: ArgumentHelp(
            "First of five consecutive HTTP ports: reporting gets it, then accounts, signals, coaching and bus.",
            valueName: "port"
        )
    )
    var httpPortBase: Int = ServiceName.firstDefaultHTTPPort

    @Option(
        name: .customLong("bin-dir"),
        help: ArgumentHelp(
            "Directory that holds the huddle-* executables (default: $HUDDLE_BIN_DIR, else huddle's own directory).",
            valueName: "path"
        )
    )
    var binDirectory: String?

    @Option(help: ArgumentHelp("Seconds to wait for every service to answer GET /health.", valueName: "seconds"))
    var startupTimeout: Int = 60

    @Option(help: ArgumentHelp("Seconds to wait for services to stop before killing them.", valueName: "seconds"))
    var shutdownTimeout: Int = 10

    func validate() throws {
        let lastBase = 65_535 - (ServiceName.allCases.count - 1)
        guard (1...lastBase).contains(httpPortBase) else {
            throw ValidationError("--http-port-base: must be from 1 to \(lastBase), so that all five ports fit")
        }
        guard startupTimeout >= 1 else { throw ValidationError("--startup-timeout: must be at least 1 second") }
        guard shutdownTimeout >= 1 else { throw ValidationError("--shutdown-timeout: must be at least 1 second") }
    }

    func run() async throws {
        // With output piped into a reader that quits early (`huddle up | head`), writes must fail quietly rather
        // than end huddle and orphan the services; children get the default disposition back when spawned.
        signal(SIGPIPE, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let directory = try ExecutableDirectory.resolve(option: binDirectory, environment: environment)
        let plans = try ServicePlan.layout(
            httpPortBase: httpPortBase,
            executableDirectory: directory,
            environment: environment,
            parentProcessID: getpid()
        )
        let supervisor = Supervisor(
            plans: plans,
            startupTimeout: .seconds(startupTimeout),
            shutdownTimeout: .seconds(shutdownTimeout)
        )
        LogLineWriter.standardOutput.writeLine("huddle up: starting \(plans.count) services from \(directory)")
        let status = await supervisor.run()
        if status != 0 {
            throw ExitCode(status)
        }
    }
}
