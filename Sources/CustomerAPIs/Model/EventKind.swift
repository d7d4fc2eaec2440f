/// The two kinds of event the bridge handles, named as replies name them.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A customer event for API 1, the customer-metadata ingestion API.
    case customerMetadata = "customer-metadata"
    /// An entity event for API 2, the create-external-params API.
    case externalParams = "external-params"
}
