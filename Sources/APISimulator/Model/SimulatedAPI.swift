/// The two APIs the simulator serves.
public enum SimulatedAPI: String, Sendable, Codable, CaseIterable, Hashable {
    /// API 1: `POST /metadata-ingestion/v1/single-customer-metadata`, with `asapp-api-id` and
    /// `asapp-api-secret` headers.
    case customerMetadata = "customer-metadata"
    /// API 2: `POST /api/v2/customer/{id}/external-params/{entity}/{id}`, with
    /// `Authorization: Bearer`.
    case externalParams = "external-params"
}
