import AccountsApp
import ServiceKit

// Wiring only. An invalid variable ends the process here with status 78 and a line naming it.
let configuration = ServiceRunner.configurationOrExit(for: .accounts)
let logger = ServiceLogging.bootstrap(configuration)
// Runs until SIGTERM or SIGINT completes a graceful shutdown (status 0); a failure exits with status 1.
await ServiceRunner.run(configuration: configuration, logger: logger, build: buildAccountsService)
