/// Placeholder; the simulator is built by the API-layer issue.
public enum APISimulatorInfo {
    public static let name = "api-simulator"
}
