import Foundation

extension ChildProcess {
    /// The `kafka-api-bridge` binary `swift build` made beside the test bundle
    /// (`.build/<configuration>/kafka-api-bridge`).
    public static var builtBridgeBinary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("kafka-api-bridge")
    }

    /// The test's environment without any `KAFKA_*` or `BRIDGE_*` variable, plus `extra`: what a
    /// bridge process sees when only the test configures it.
    public static func bridgeEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("KAFKA_") && !$0.key.hasPrefix("BRIDGE_") }
        environment.merge(extra) { $1 }
        return environment
    }

    /// Starts `kafka-api-bridge <arguments>` with ``bridgeEnvironment(_:)`` plus `environment`,
    /// its standard output and error in one log.
    public static func bridge(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = builtBridgeBinary
    ) throws -> ChildProcess {
        try ChildProcess(executable, arguments, environment: bridgeEnvironment(environment), combineOutput: true)
    }
}
