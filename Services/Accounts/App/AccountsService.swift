import Logging
import ServiceKit

/// Builds `huddle-accounts`, the owner of teams, people, accounts, focus lists, buying groups, sales projects,
/// milestones, targets and partners.
///
/// Today it serves only `GET /health`; the accounts API and its events arrive with later issues.
package func buildAccountsService(configuration: ServiceConfiguration, logger: Logger) -> HuddleService {
    let router = HuddleService.makeRouter(for: configuration)
    return HuddleService(configuration: configuration, router: router, logger: logger)
}
