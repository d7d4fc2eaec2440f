import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Routes each request to API 1, API 2 or the control endpoints, and answers it.
///
/// The order of checks for an API request: method, path, body size, faults (and latency),
/// authentication, validation, duplicate event id. Every answer is counted in the stats.
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    static let customerMetadataPath = "/metadata-ingestion/v1/single-customer-metadata"
    static let externalParamsPrefix = "/api/v2/customer/"
    static let controlPrefix = "/_control/"

    let core: SimulatorCore
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == Self.customerMetadataPath {
            return try await respondToAPI(.customerMetadata, request: request, path: path, context: context)
        }
        if path.hasPrefix(Self.externalParamsPrefix) {
            return try await respondToAPI(.externalParams, request: request, path: path, context: context)
        }
        if path.hasPrefix(Self.controlPrefix) {
            return await ControlEndpoints(core: core).respond(to: request, path: path)
        }
        return notFound()
    }

    /// Waits `latency` on the connection's event loop: a timer in its heap, where `Task.sleep`
    /// costs a dispatch timer source per call (and may fire late by a fraction of the delay).
    private static func wait(_ latency: Duration, on eventLoop: any EventLoop) async throws {
        let (seconds, attoseconds) = latency.components
        let delay = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let timer = eventLoop.scheduleTask(in: delay) {}
        try await withTaskCancellationHandler {
            try await timer.futureResult.get()
        } onCancel: {
            timer.cancel()
        }
    }

    private func notFound() -> Response {
        Answer.json(404, AnswerBodies.errorObject(requestId: core.answerIds.next(), code: "404-01", message: "Not Found"))
    }

    private func respondToAPI(
        _ api: SimulatedAPI, request: Request, path: String, context: Context
    ) async throws -> Response {
        var externalParamsPath: (customerId: Substring, entityType: Substring, entityId: Substring)?
        if api == .externalParams {
            guard let segments = ExternalParamsValidator.pathSegments(path) else {
                return notFound()
            }
            externalParamsPath = segments
        }
        guard request.method == .post else {
            return refuse(api, status: 405, message: "Method Not Allowed")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: SimulatorCore.maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            return refuse(api, status: 413, message: "Request Entity Too Large")
        }

        let admission = core.admit(api, path: path, body: body)
        if let latency = admission.latency {
            try await Self.wait(latency, on: context.channel.eventLoop)
        }
        if let fault = admission.fault {
            return try await answer(fault, api: api, context: context)
        }
        guard Authentication.isAuthorized(api, headers: request.headers, credentials: admission.credentials) else {
            logger.debug("unauthorized request", metadata: ["api": "\(api.rawValue)"])
            return refuse(api, status: 401, message: "Unauthorized")
        }
        switch api {
        case .customerMetadata:
            return customerMetadata(request: request, path: path, body: body)
        case .externalParams:
            guard let externalParamsPath else { return notFound() }
            return externalParams(request: request, path: path, segments: externalParamsPath, body: body)
        }
    }

    // MARK: API 1

    private func customerMetadata(request: Request, path: String, body: ByteBuffer) -> Response {
        let answerId = core.answerIds.next()
        let eventId: String?
        switch Self.parse(body).mapError({ ValidationFailure($0.description) }).flatMap(CustomerMetadataValidator.validate) {
        case .failure(let failure):
            core.recordAnswer(.customerMetadata, status: 400)
            return Answer.json(400, AnswerBodies.customerMetadataResult(
                eventId: answerId, error: "FAIL_BAD_PARAMS: ERROR: " + failure.message
            ))
        case .success(let validEventId):
            eventId = validEventId
        }
        let fresh = core.accept(.customerMetadata, eventId: eventId) {
            RequestRecord.make(.customerMetadata, request: request, path: path, body: body, eventId: eventId, answerId: answerId)
        }
        guard fresh else {
            return Answer.json(409, AnswerBodies.errorObject(requestId: answerId, code: "409-01", message: "Conflict"))
        }
        return Answer.json(200, AnswerBodies.customerMetadataSuccess(eventId: answerId))
    }

    // MARK: API 2

    private func externalParams(
        request: Request, path: String,
        segments: (customerId: Substring, entityType: Substring, entityId: Substring), body: ByteBuffer
    ) -> Response {
        let validation = ExternalParamsValidator.validateTarget(
            customerId: segments.customerId, entityType: segments.entityType, entityId: segments.entityId
        ).flatMap { _ in
            Self.parse(body).mapError { ValidationFailure($0.description) }.flatMap(ExternalParamsValidator.validateBody)
        }
        if case .failure(let failure) = validation {
            core.recordAnswer(.externalParams, status: 400)
            let message = AnswerBodies.externalParamsMessage(code: "CUSTOMER_1024") + ": " + failure.message
            return Answer.json(400, AnswerBodies.externalParamsNak(code: "CUSTOMER_1024", message: message))
        }
        let requestId = core.answerIds.next()
        _ = core.accept(.externalParams, eventId: nil) {
            RequestRecord.make(.externalParams, request: request, path: path, body: body, eventId: nil, answerId: requestId)
        }
        return Answer.json(200, AnswerBodies.externalParamsAck(requestId: requestId))
    }

    // MARK: Shared

    private static func parse(_ body: ByteBuffer) -> Result<JSONValue, JSONParseError> {
        body.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(bytes) }
        }
    }

    /// An answer refusing a request before validation, in the API's error shape.
    private func refuse(_ api: SimulatedAPI, status: Int, message: String) -> Response {
        core.recordAnswer(api, status: status)
        switch api {
        case .customerMetadata:
            return Answer.json(status, AnswerBodies.errorObject(
                requestId: core.answerIds.next(), code: "\(status)-01", message: message
            ))
        case .externalParams:
            let code = status == 401 ? "UNAUTHORIZED" : AnswerBodies.externalParamsDefaultCode(status: status)
            return Answer.json(status, AnswerBodies.externalParamsNak(code: code, message: message))
        }
    }

    private func answer(_ fault: SimulatorFault.Action, api: SimulatedAPI, context: Context) async throws -> Response {
        switch fault {
        case .drop:
            core.recordDrop(api)
            try? await context.channel.close()
            throw ConnectionDropped()
        case .throttle(let retryAfter):
            core.recordAnswer(api, status: 429)
            return Answer.json(429, faultBody(api: api, status: 429, code: nil, message: nil), retryAfter: retryAfter)
        case .fail(let status, let code, let message, let body, let retryAfter):
            core.recordAnswer(api, status: status)
            return Answer.json(status, body ?? faultBody(api: api, status: status, code: code, message: message), retryAfter: retryAfter)
        }
    }

    private func faultBody(api: SimulatedAPI, status: Int, code: String?, message: String?) -> String {
        switch api {
        case .customerMetadata:
            if status == 200 || status == 400 {
                let error = (code ?? "FAIL_BAD_PARAMS") + ": " + (message ?? "ERROR: simulated failure")
                return AnswerBodies.customerMetadataResult(eventId: core.answerIds.next(), error: error)
            }
            return AnswerBodies.errorObject(
                requestId: core.answerIds.next(), code: code ?? "\(status)-01",
                message: message ?? AnswerBodies.reasonPhrase(status)
            )
        case .externalParams:
            let errorCode = code ?? AnswerBodies.externalParamsDefaultCode(status: status)
            return AnswerBodies.externalParamsNak(
                code: errorCode, message: message ?? AnswerBodies.externalParamsMessage(code: errorCode)
            )
        }
    }
}
