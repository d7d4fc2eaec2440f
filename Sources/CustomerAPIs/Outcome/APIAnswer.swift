/// An API's answer as it came back over HTTP, before it is classified.
struct APIAnswer: Sendable, Equatable {
    /// The HTTP status.
    var status: Int
    /// The `Retry-After` header's text, when the answer had one.
    var retryAfter: String?
    /// The body, or `nil` when it was longer than the client reads.
    var body: [UInt8]?

    init(status: Int, retryAfter: String? = nil, body: [UInt8]?) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}
