import HuddleCLI

// Wiring only: the commands live in HuddleCLI.
await HuddleCommand.runFromCommandLine()
