import ServiceKit

#if canImport(Glibc)
    import Glibc
#endif

/// How `huddle up` runs one service: which executable, on which port, with which environment.
struct ServicePlan: Sendable {
    let name: ServiceName
    let executablePath: String
    let port: Int
    /// The address `huddle` probes and prints; a wildcard bind is reached through loopback.
    let probeHost: String
    let environment: [String: String]

    /// The URL of the service's HTTP API.
    var url: String {
        probeHost.contains(":") ? "http://[\(probeHost)]:\(port)" : "http://\(probeHost):\(port)"
    }

    /// One plan per service, ports counted up from `httpPortBase` in ``ServiceName`` order.
    /// - Throws: ``UpError`` naming every executable that is missing or not executable.
    static func layout(
        httpPortBase: Int,
        executableDirectory: String,
        environment: [String: String],
        parentProcessID: Int32
    ) throws(UpError) -> [ServicePlan] {
        let bindHost = environment[ConfigurationVariable.httpHost.name] ?? ServiceConfiguration.Defaults.httpHost
        let plans = ServiceName.allCases.map { name in
            let port = httpPortBase + name.portOffset
            var childEnvironment = environment
            childEnvironment[ConfigurationVariable.httpPort.name] = String(port)
            childEnvironment[ConfigurationVariable.parentProcessID.name] = String(parentProcessID)
            return ServicePlan(
                name: name,
                executablePath: executableDirectory + "/" + name.executableName,
                port: port,
                probeHost: HealthProbe.probeHost(forBindHost: bindHost),
                environment: childEnvironment
            )
        }
        let missing = plans.filter { access($0.executablePath, X_OK) != 0 }.map(\.name.executableName)
        guard missing.isEmpty else {
            throw UpError(
                description: "\(missing.joined(separator: ", ")) not found (or not executable) in "
                    + "\(executableDirectory); build them with `swift build`, or point --bin-dir or "
                    + "\(ExecutableDirectory.overrideVariable) at the directory that holds them"
            )
        }
        return plans
    }
}
