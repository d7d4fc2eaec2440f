import HTTPTypes
import Hummingbird
import NIOCore

/// Turns an accepted request into an `AcceptedRequest`.
enum RequestRecord {
    static let correlationIdHeader = HTTPField.Name("correlation-id")!
    static let traceparentHeader = HTTPField.Name("traceparent")!

    static func make(
        _ api: SimulatedAPI, request: Request, path: String, body: ByteBuffer, eventId: String?, answerId: String
    ) -> AcceptedRequest {
        var headers: [String: String] = [:]
        for field in request.headers where !Authentication.isCredentialHeader(field.name) {
            let name = field.name.canonicalName
            if let existing = headers[name] {
                headers[name] = existing + ", " + field.value
            } else {
                headers[name] = field.value
            }
        }
        return AcceptedRequest(
            api: api, path: path, eventId: eventId, answerId: answerId, body: String(buffer: body),
            correlationId: request.headers[correlationIdHeader], traceparent: request.headers[traceparentHeader],
            headers: headers
        )
    }
}
