/// One request the simulator accepted (answered 200 as a success), as it arrived.
public struct AcceptedRequest: Sendable, Codable, Equatable {
    /// Which API accepted it.
    public var api: SimulatedAPI
    /// The request path, e.g. `/api/v2/customer/…/external-params/plan/…`.
    public var path: String
    /// API 1's `eventId` from the body, when the request had one.
    public var eventId: String?
    /// The id the answer gave: API 1's `result.eventId`, API 2's `content[0].requestId`.
    public var answerId: String
    /// The body exactly as received, as UTF-8 text.
    public var body: String
    /// The `correlation-id` header, when present.
    public var correlationId: String?
    /// The `traceparent` header, when present.
    public var traceparent: String?
    /// Every other header, lower-cased names, with the credential headers left out.
    public var headers: [String: String]

    /// A record of an accepted request.
    public init(
        api: SimulatedAPI, path: String, eventId: String?, answerId: String, body: String,
        correlationId: String?, traceparent: String?, headers: [String: String]
    ) {
        self.api = api
        self.path = path
        self.eventId = eventId
        self.answerId = answerId
        self.body = body
        self.correlationId = correlationId
        self.traceparent = traceparent
        self.headers = headers
    }
}
