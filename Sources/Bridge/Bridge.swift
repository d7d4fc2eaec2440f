import Kafka
import CustomerAPIs

/// Placeholder; the bridge service is built by the bridge-service issue.
public enum BridgeInfo {
    public static let name = "kafka-api-bridge"
}
