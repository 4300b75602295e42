import Configuration
import Foundation
import Logging

extension ServiceConfiguration {
    /// Reads and validates every variable of the configuration table through `reader`.
    ///
    /// A variable that is not set takes its default; a variable that is set must follow its rule, even when it is
    /// empty. All broken rules are reported together.
    /// - Throws: ``ConfigurationError`` naming each variable, its rule and its value.
    package init(service: ServiceName, reader: ConfigReader) throws(ConfigurationError) {
        var variables = VariableReader(reader: reader)
        let host = variables.read(.httpHost, .host, default: Defaults.httpHost)
        let port = variables.read(.httpPort, .port, default: service.defaultHTTPPort)
        let level = variables.read(.logLevel, .logLevel, default: Defaults.logLevel)
        let format = variables.read(.logFormat, .logFormat, default: Defaults.logFormat)
        let dataDirectory = variables.read(.dataDirectory, .directory, default: Defaults.dataDirectory)
        let storage = Storage(
            databaseURL: variables.readOptional(.databaseURL, .databaseURL),
            publisherID: variables.readOptional(.publisherID, .publisherID),
            replayBind: variables.read(.replayBind, .bindEndpointAnyPort, default: Defaults.replayBind),
            replayAdvertiseHost: variables.readOptional(.replayAdvertiseHost, .host)
        )
        let publish = variables.read(.busPublishEndpoint, .connectEndpoint, default: Defaults.busPublishEndpoint)
        let subscribe = variables.read(.busSubscribeEndpoint, .connectEndpoint, default: Defaults.busSubscribeEndpoint)
        // Only the proxy binds these, so a stray value in another service's environment is not its concern.
        let busProxy: BusProxy? =
            service == .bus
            ? BusProxy(
                xsubBind: variables.read(.busXSubBind, .bindEndpoint, default: Defaults.busXSubBind),
                xpubBind: variables.read(.busXPubBind, .bindEndpoint, default: Defaults.busXPubBind),
                highWaterMark: variables.read(.busHighWaterMark, .highWaterMark, default: Defaults.busHighWaterMark)
            ) : nil
        let parentProcessID = variables.readOptional(.parentProcessID, .processID)
        guard variables.issues.isEmpty else { throw ConfigurationError(issues: variables.issues) }
        self.init(
            service: service,
            http: HTTP(host: host, port: port),
            logging: Logging(level: level, format: format),
            dataDirectory: dataDirectory,
            storage: storage,
            bus: Bus(publishEndpoint: publish, subscribeEndpoint: subscribe),
            busProxy: busProxy,
            parentProcessID: parentProcessID
        )
    }

    /// Reads the configuration from environment variables: the process's own unless `environment` is given.
    /// - Throws: ``ConfigurationError`` naming each variable, its rule and its value.
    package static func fromEnvironment(
        service: ServiceName,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        return try ServiceConfiguration(service: service, reader: reader)
    }
}

/// Reads variables one by one and collects every broken rule instead of stopping at the first.
private struct VariableReader {
    let reader: ConfigReader
    var issues: [ConfigurationError.Issue] = []

    /// The variable's parsed value, its default when unset, or the default plus a recorded issue when invalid.
    mutating func read<Value>(
        _ variable: ConfigurationVariable,
        _ rule: ConfigurationRule<Value>,
        default defaultValue: Value
    ) -> Value {
        readOptional(variable, rule) ?? defaultValue
    }

    /// The variable's parsed value, or `nil` when it is unset or invalid (an invalid value is recorded).
    mutating func readOptional<Value>(_ variable: ConfigurationVariable, _ rule: ConfigurationRule<Value>) -> Value? {
        guard let text = reader.string(forKey: ConfigKey(variable.key)) else { return nil }
        guard let value = rule.parse(text) else {
            issues.append(.init(variable: variable.name, rule: rule.rule, value: text))
            return nil
        }
        return value
    }
}
