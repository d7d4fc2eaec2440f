/// A request ready to send: built only from validated values.
public struct APIRequest: Sendable, Equatable {
    /// Which API it goes to.
    public var kind: EventKind
    /// The HTTP method; both APIs take `POST`.
    public var method: String
    /// The path below the API's base URL, starting with `/`, its segments already percent-safe.
    public var path: String
    /// The JSON body, UTF-8.
    public var body: [UInt8]

    public init(kind: EventKind, method: String = "POST", path: String, body: [UInt8]) {
        self.kind = kind
        self.method = method
        self.path = path
        self.body = body
    }
}
