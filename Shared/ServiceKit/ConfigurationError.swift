/// One or more environment variables hold values Huddle cannot use.
///
/// Every issue names the variable, the rule it breaks and the value it had, so the message alone is enough to fix
/// the setting. A service that meets this error exits with ``ConfigurationError/exitCode`` before doing anything.
package struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// One variable whose value breaks its rule.
    package struct Issue: Equatable, Sendable, CustomStringConvertible {
        /// The environment variable, e.g. `HUDDLE_HTTP_PORT`.
        package var variable: String
        /// What a valid value looks like, e.g. `must be an integer from 1 to 65535`.
        package var rule: String
        /// The value that was set.
        package var value: String

        /// Creates an issue for one variable.
        package init(variable: String, rule: String, value: String) {
            self.variable = variable
            self.rule = rule
            self.value = value
        }

        /// `HUDDLE_HTTP_PORT: must be an integer from 1 to 65535 (got "70000")`.
        package var description: String {
            // The value is quoted and escaped so that an empty or blank value is visible in the message.
            "\(variable): \(rule) (got \(value.debugDescription))"
        }
    }

    /// The problems found, in the order of the configuration table.
    package var issues: [Issue]

    /// Creates an error from the issues found.
    package init(issues: [Issue]) {
        self.issues = issues
    }

    /// The exit status of a service whose configuration is invalid (`EX_CONFIG` from `sysexits.h`).
    package static let exitCode: Int32 = 78

    /// One line per issue, prefixed with `invalid configuration:` when there are several.
    package var description: String {
        if issues.count == 1 {
            return "invalid configuration: \(issues[0])"
        }
        return (["invalid configuration:"] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
