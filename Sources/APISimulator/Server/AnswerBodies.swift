/// The answer bodies of both API documents, written as text without an encoder.
enum AnswerBodies {
    // MARK: API 1 (customer-metadata-api.md)

    /// 200 and 400: `{"result": {"eventId": …, "error": …}}`; `error` is empty on success.
    static func customerMetadataResult(eventId: String, error: String) -> String {
        #"{"result":{"eventId":""# + eventId + #"","error":"# + JSONText.quoted(error) + "}}"
    }

    /// The success answer: a computed event id and no error.
    static func customerMetadataSuccess(eventId: String) -> String {
        #"{"result":{"eventId":""# + eventId + #"","error":""}}"#
    }

    /// Every other status: `{"error": {"requestId": …, "code": "401-01", "message": "Unauthorized"}}`.
    static func errorObject(requestId: String, code: String, message: String) -> String {
        #"{"error":{"requestId":""# + requestId + #"","code":"# + JSONText.quoted(code)
            + #","message":"# + JSONText.quoted(message) + "}}"
    }

    /// The document's message for a status (`Not Found`, `Conflict`…), else its reason phrase.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden Response"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Request Entity Too Large"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal server error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
    }

    // MARK: API 2 (external-params-api.md)

    /// The success ACK: one `requestId` and the document's `pageable`.
    static func externalParamsAck(requestId: String) -> String {
        #"{"errorCode":"","errorMessage":"","content":[{"requestId":""# + requestId
            + #""}],"pageable":{"page":0,"size":10,"totalPages":1,"totalElements":1}}"#
    }

    /// The failure NAK: `content` and `pageable` are empty strings, as the document shows.
    static func externalParamsNak(code: String, message: String) -> String {
        #"{"errorCode":"# + JSONText.quoted(code) + #","errorMessage":"# + JSONText.quoted(message)
            + #","content":"","pageable":""}"#
    }

    /// The document's message for its own error codes.
    static func externalParamsMessage(code: String) -> String {
        switch code {
        case "CUSTOMER_1024": "Failed to create external params item"
        case "GLOBAL_1001": "Service unavailable. Please try again"
        default: "Request failed"
        }
    }

    /// The error code a failing status gets when none is chosen: `GLOBAL_1001` for 429 and
    /// 5xx (transient), `CUSTOMER_1024` otherwise.
    static func externalParamsDefaultCode(status: Int) -> String {
        status == 429 || status >= 500 ? "GLOBAL_1001" : "CUSTOMER_1024"
    }
}
