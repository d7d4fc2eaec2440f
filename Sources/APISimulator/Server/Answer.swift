import HTTPTypes
import Hummingbird
import NIOCore

/// Building `Response`s with a JSON body.
enum Answer {
    private static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    /// A JSON answer with `status` and `text` as its body.
    static func json(_ status: Int, _ text: String, retryAfter: Int? = nil) -> Response {
        var headers = jsonHeaders
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// Thrown after a drop fault closed the connection, so that nothing is answered.
struct ConnectionDropped: Error {}
