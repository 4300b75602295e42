import ArgumentParser
import ServiceKit

/// `huddle`: the command-line tool of Huddle.
package struct HuddleCommand: AsyncParsableCommand {
    /// The root command: its name, help text and subcommands.
    package static let configuration = CommandConfiguration(
        commandName: "huddle",
        abstract: "Run and operate Huddle, the sales leadership and coaching platform.",
        version: HuddleVersion.current,
        subcommands: [UpCommand.self]
    )

    /// Creates the command; ArgumentParser fills it from the arguments.
    package init() {}

    /// Parses `CommandLine.arguments`, runs the chosen subcommand and exits with its status.
    package static func runFromCommandLine() async {
        await main()
    }
}
