import Foundation
import TestSupport

extension ChildProcess {
    /// The binary the scenarios run: the one beside the test bundle, or the one
    /// `RESILIENCE_BRIDGE_BINARY` names (to run the scenarios against another build, e.g. an
    /// older one).
    static var scenarioBinary: URL {
        if let path = ProcessInfo.processInfo.environment["RESILIENCE_BRIDGE_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return builtBridgeBinary
    }

    /// Starts `kafka-api-bridge <arguments>` of ``scenarioBinary`` with the test's environment
    /// minus every `KAFKA_*` and `BRIDGE_*` variable, plus `environment`, its output in one log.
    static func scenario(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try bridge(arguments, environment: environment, executable: scenarioBinary)
    }
}
