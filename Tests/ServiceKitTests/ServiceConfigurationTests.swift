import Logging
import ServiceKit
import Testing

@Suite("Service configuration from environment variables", .timeLimit(.minutes(1)))
struct ServiceConfigurationTests {
    @Test("an empty environment gives the documented defaults", arguments: ServiceName.allCases)
    func defaults(service: ServiceName) throws {
        let configuration = try ServiceConfiguration.fromEnvironment(service: service, environment: [:])
        #expect(configuration.http == .init(host: "127.0.0.1", port: service.defaultHTTPPort))
        #expect(configuration.logging == .init(level: .info, format: .json))
        #expect(configuration.dataDirectory == "./.data")
        #expect(
            configuration.bus
                == .init(publishEndpoint: "tcp://127.0.0.1:5550", subscribeEndpoint: "tcp://127.0.0.1:5551")
        )
        #expect(configuration.parentProcessID == nil)
        if service == .bus {
            #expect(configuration.busProxy == .init(xsubBind: "tcp://*:5550", xpubBind: "tcp://*:5551"))
        } else {
            #expect(configuration.busProxy == nil)
        }
    }

    @Test("default HTTP ports follow DESIGN.md")
    func defaultPorts() {
        let ports = Dictionary(uniqueKeysWithValues: ServiceName.allCases.map { ($0, $0.defaultHTTPPort) })
        #expect(ports == [.reporting: 8080, .accounts: 8081, .signals: 8082, .coaching: 8083, .bus: 8084])
    }

    @Test("every variable that is set replaces its default")
    func overrides() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: .bus,
            environment: [
                "HUDDLE_HTTP_HOST": "0.0.0.0",
                "HUDDLE_HTTP_PORT": "9999",
                "HUDDLE_LOG_LEVEL": "DEBUG",
                "HUDDLE_LOG_FORMAT": "Text",
                "HUDDLE_DATA_DIR": "/var/lib/huddle",
                "HUDDLE_BUS_PUBLISH_ENDPOINT": "tcp://bus:6000",
                "HUDDLE_BUS_SUBSCRIBE_ENDPOINT": "ipc:///tmp/huddle-bus",
                "HUDDLE_BUS_XSUB_BIND": "tcp://*:6000",
                "HUDDLE_BUS_XPUB_BIND": "tcp://[::1]:6001",
                "HUDDLE_PARENT_PID": "4242",
            ]
        )
        #expect(configuration.http == .init(host: "0.0.0.0", port: 9999))
        #expect(configuration.logging == .init(level: .debug, format: .text))
        #expect(configuration.dataDirectory == "/var/lib/huddle")
        #expect(
            configuration.bus == .init(publishEndpoint: "tcp://bus:6000", subscribeEndpoint: "ipc:///tmp/huddle-bus")
        )
        #expect(configuration.busProxy == .init(xsubBind: "tcp://*:6000", xpubBind: "tcp://[::1]:6001"))
        #expect(configuration.parentProcessID == 4242)
    }

    @Test(
        "an invalid value is refused with the variable, the rule and the value",
        arguments: [
            ("HUDDLE_HTTP_PORT", "0", "must be an integer from 1 to 65535"),
            ("HUDDLE_HTTP_PORT", "65536", "must be an integer from 1 to 65535"),
            ("HUDDLE_HTTP_PORT", "80a", "must be an integer from 1 to 65535"),
            ("HUDDLE_HTTP_PORT", "+80", "must be an integer from 1 to 65535"),
            ("HUDDLE_HTTP_PORT", "", "must be an integer from 1 to 65535"),
            ("HUDDLE_HTTP_HOST", "", "must be a host name or IP address without spaces"),
            ("HUDDLE_HTTP_HOST", "local host", "must be a host name or IP address without spaces"),
            ("HUDDLE_LOG_LEVEL", "verbose", "must be one of trace, debug, info, notice, warning, error, critical"),
            ("HUDDLE_LOG_FORMAT", "yaml", "must be one of json, text"),
            ("HUDDLE_DATA_DIR", "", "must be a non-empty directory path"),
            ("HUDDLE_BUS_PUBLISH_ENDPOINT", "127.0.0.1:5550", "must be a ZeroMQ endpoint to connect to"),
            ("HUDDLE_BUS_PUBLISH_ENDPOINT", "tcp://*:5550", "must be a ZeroMQ endpoint to connect to"),
            ("HUDDLE_BUS_SUBSCRIBE_ENDPOINT", "tcp://host:99999", "must be a ZeroMQ endpoint to connect to"),
            ("HUDDLE_BUS_SUBSCRIBE_ENDPOINT", "udp://host:5551", "must be a ZeroMQ endpoint to connect to"),
            ("HUDDLE_BUS_XSUB_BIND", "tcp://*", "must be a ZeroMQ endpoint to bind"),
            ("HUDDLE_BUS_XPUB_BIND", "ipc://", "must be a ZeroMQ endpoint to bind"),
            ("HUDDLE_PARENT_PID", "0", "must be a positive process id"),
            ("HUDDLE_PARENT_PID", "-5", "must be a positive process id"),
        ]
    )
    func invalidValue(variable: String, value: String, rule: String) throws {
        let error = try #require(
            throws: ConfigurationError.self,
            performing: { try ServiceConfiguration.fromEnvironment(service: .bus, environment: [variable: value]) }
        )
        #expect(error.issues == [.init(variable: variable, rule: error.issues.first?.rule ?? "", value: value)])
        #expect(error.issues.first?.rule.hasPrefix(rule) == true)
        #expect(error.description.hasPrefix("invalid configuration: \(variable): \(rule)"))
        #expect(error.description.hasSuffix("(got \(value.debugDescription))"))
    }

    @Test("every invalid variable is reported at once, in table order")
    func severalIssues() throws {
        let environment = ["HUDDLE_LOG_FORMAT": "xml", "HUDDLE_HTTP_PORT": "http", "HUDDLE_LOG_LEVEL": "loud"]
        let error = try #require(
            throws: ConfigurationError.self,
            performing: { try ServiceConfiguration.fromEnvironment(service: .accounts, environment: environment) }
        )
        #expect(error.issues.map(\.variable) == ["HUDDLE_HTTP_PORT", "HUDDLE_LOG_LEVEL", "HUDDLE_LOG_FORMAT"])
        #expect(error.description.split(separator: "\n").count == 4)
    }

    @Test("the bus proxy's bind variables concern huddle-bus alone")
    func busOnlyVariables() throws {
        let environment = ["HUDDLE_BUS_XSUB_BIND": "nonsense"]
        let accounts = try ServiceConfiguration.fromEnvironment(service: .accounts, environment: environment)
        #expect(accounts.busProxy == nil)
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(service: .bus, environment: environment)
        }
    }

    @Test("variables outside the table are ignored")
    func unrelatedVariables() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            service: .coaching,
            environment: ["HUDDLE_HTTP_PORTS": "x", "PORT": "1", "LOG_LEVEL": "nonsense"]
        )
        #expect(configuration == ServiceConfiguration(service: .coaching))
    }

    @Test("each variable's name maps to its configuration key")
    func variableKeys() {
        #expect(ConfigurationVariable.httpPort.key == ["huddle", "http", "port"])
        #expect(ConfigurationVariable.busXSubBind.key == ["huddle", "bus", "xsub", "bind"])
        #expect(Set(ConfigurationVariable.allCases.map(\.name)).count == ConfigurationVariable.allCases.count)
    }
}
