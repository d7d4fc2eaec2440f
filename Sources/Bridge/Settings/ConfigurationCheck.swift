import CustomerAPIs
import Foundation

/// What `kafka-api-bridge check-config` does: load and validate the settings, print them masked,
/// and check that every broker and every configured API accepts a TCP connection.
public enum ConfigurationCheck {
    /// The exit status of a check.
    public enum Result: Int32, Sendable {
        /// Settings valid, everything reachable.
        case passed = 0
        /// The settings do not load or are inconsistent.
        case invalidSettings = 1
        /// A broker or an API did not accept a connection.
        case unreachable = 2
    }

    /// Runs the check.
    ///
    /// - Parameters:
    ///   - flags, environment, configFile: as for ``BridgeSettings/load(flags:environment:configFile:)``.
    ///   - connectTimeout: how long each TCP connection, and the Kafka cluster's answer, may take.
    ///   - output: receives the masked settings and one `ok:` line per endpoint (standard output).
    ///   - errorOutput: receives one `error:` line per problem (standard error).
    /// - Returns: the result, whose raw value is the exit status. Secrets appear in neither output.
    public static func run(
        flags: [String: String],
        environment: [String: String],
        configFile: String?,
        connectTimeout: Duration = .seconds(5),
        output: LogOutput,
        errorOutput: LogOutput
    ) async -> Result {
        let settings: BridgeSettings
        do {
            settings = try BridgeSettings.load(flags: flags, environment: environment, configFile: configFile)
        } catch {
            errorOutput.write("error: \(error.message)")
            return .invalidSettings
        }
        for line in settings.maskedLines() {
            output.write(line)
        }
        if let problem = missingAPIProblem(settings) {
            errorOutput.write("error: \(problem)")
            return .invalidSettings
        }
        for line in proxyLines(settings) {
            output.write(line)
        }

        var failures = 0
        var reachableBrokers = 0
        for target in targets(settings) {
            if let failure = await ReachabilityProbe.tcpConnectFailure(host: target.host, port: target.port, timeout: connectTimeout) {
                errorOutput.write("error: \(target.name) \(target.host):\(target.port) is unreachable: \(failure)")
                failures += 1
            } else {
                output.write("ok: \(target.name) \(target.host):\(target.port) accepts connections")
                if target.name == Target.brokerName { reachableBrokers += 1 }
            }
        }
        if reachableBrokers > 0 {
            if let failure = await KafkaClusterProbe.failure(settings, timeout: connectTimeout) {
                errorOutput.write("error: Kafka: \(failure)")
                failures += 1
            } else {
                output.write("ok: Kafka answered for group \(settings.groupID) with these settings")
            }
        }
        guard failures == 0 else { return .unreachable }
        output.write("ok: settings are valid and every broker and API is reachable")
        return .passed
    }

    /// An API whose topics are consumed must be configured, or all its events would wait on an open circuit.
    static func missingAPIProblem(_ settings: BridgeSettings) -> String? {
        if !settings.customerTopics.isEmpty, settings.customerMetadata.baseURL == nil {
            return "\(SettingDefinition.customerMetadataBaseURL.name) is not set, but \(SettingDefinition.customerTopics.name) names topics for API 1"
        }
        if !settings.entityTopics.isEmpty, settings.externalParams.baseURL == nil {
            return "\(SettingDefinition.externalParamsBaseURL.name) is not set, but \(SettingDefinition.entityTopics.name) names topics for API 2"
        }
        return nil
    }

    /// An endpoint to try: what it is, and where.
    struct Target: Sendable, Equatable {
        static let brokerName = "broker"
        let name: String
        let host: String
        let port: Int
    }

    /// One line per configured API naming the proxy its requests would go through, or why none.
    static func proxyLines(_ settings: BridgeSettings) -> [String] {
        let decisions = (try? settings.proxyDecisions()) ?? []
        return decisions.map { "proxy: \(apiName($0.kind)) \($0.decision)" }
    }

    private static func apiName(_ kind: EventKind) -> String {
        kind == .customerMetadata ? "API 1 (ASAPP_BASE_URL)" : "API 2 (EXTERNAL_PARAMS_BASE_URL)"
    }

    /// Every broker, then API 1 and API 2 when configured (or the proxy an API goes through).
    static func targets(_ settings: BridgeSettings) -> [Target] {
        var targets: [Target] = []
        let brokers = (try? BrokerAddress.parseList(settings.bootstrapServers, setting: "")) ?? []
        for broker in brokers {
            targets.append(Target(name: Target.brokerName, host: broker.host, port: broker.port))
        }
        let apis: [(EventKind, String?)] = [(.customerMetadata, settings.customerMetadata.baseURL), (.externalParams, settings.externalParams.baseURL)]
        let proxies = Dictionary((try? settings.proxyDecisions())?.map { ($0.kind, $0.decision) } ?? [], uniquingKeysWith: { first, _ in first })
        for (kind, baseURL) in apis {
            let name = apiName(kind)
            if let proxy = proxies[kind]?.proxy {
                targets.append(Target(name: "\(name) proxy", host: proxy.host, port: proxy.port))
                continue
            }
            guard let baseURL, let components = URLComponents(string: baseURL), let host = components.host else { continue }
            let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
            let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            targets.append(Target(name: name, host: bareHost, port: port))
        }
        return targets
    }
}
