import ArgumentParser

/// `huddle-bus-probe`: a publisher process and a consumer process of synthetic signals on the real
/// bus layer, for the multi-process tests and `scripts/bench bus`.
@main
struct BusProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huddle-bus-probe",
        abstract: "Publish or consume synthetic signals through the Huddle bus (tests and benchmarks).",
        subcommands: [PublishCommand.self, ConsumeCommand.self]
    )
}
