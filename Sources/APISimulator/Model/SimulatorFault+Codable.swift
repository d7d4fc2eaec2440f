/// The JSON form used by `POST /_control/faults`:
/// `{"type": "failNext", "count": 3, "status": 503, "code": "GLOBAL_1001", "api": "external-params"}`.
///
/// `type` is one of `failNext`, `failFor`, `throttleNext`, `throttleFor`, `dropNext`,
/// `dropFor`; `…Next` takes `count`, `…For` takes `seconds` (a number). `fail…` takes
/// `status` and optionally `code`, `message`, `body`, `retryAfter`; `throttle…` takes
/// `retryAfter`. Every type takes optional `api` and `matching`.
extension SimulatorFault: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, count, seconds, status, code, message, body, retryAfter, api, matching
    }

    /// Decodes the control endpoint's JSON form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let kind: String
        if type.hasSuffix("Next") {
            kind = String(type.dropLast(4))
            let count = try container.decode(Int.self, forKey: .count)
            guard count > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: "count must be positive")
            }
            extent = .next(count)
        } else if type.hasSuffix("For") {
            kind = String(type.dropLast(3))
            let seconds = try container.decode(Double.self, forKey: .seconds)
            guard seconds > 0, seconds.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: .seconds, in: container, debugDescription: "seconds must be positive")
            }
            extent = .duration(.milliseconds(Int64(seconds * 1000)))
        } else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown fault type \(type)")
        }
        switch kind {
        case "fail":
            let status = try container.decode(Int.self, forKey: .status)
            guard (100...599).contains(status) else {
                throw DecodingError.dataCorruptedError(forKey: .status, in: container, debugDescription: "status out of range")
            }
            action = .fail(
                status: status,
                code: try container.decodeIfPresent(String.self, forKey: .code),
                message: try container.decodeIfPresent(String.self, forKey: .message),
                body: try container.decodeIfPresent(String.self, forKey: .body),
                retryAfter: try container.decodeIfPresent(Int.self, forKey: .retryAfter)
            )
        case "throttle":
            action = .throttle(retryAfter: try container.decode(Int.self, forKey: .retryAfter))
        case "drop":
            action = .drop
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown fault type \(type)")
        }
        api = try container.decodeIfPresent(SimulatedAPI.self, forKey: .api)
        matching = try container.decodeIfPresent(String.self, forKey: .matching)
    }

    /// Encodes the control endpoint's JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let kind: String
        switch action {
        case .fail(let status, let code, let message, let body, let retryAfter):
            kind = "fail"
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(code, forKey: .code)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(body, forKey: .body)
            try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
        case .throttle(let retryAfter):
            kind = "throttle"
            try container.encode(retryAfter, forKey: .retryAfter)
        case .drop:
            kind = "drop"
        }
        switch extent {
        case .next(let count):
            try container.encode(kind + "Next", forKey: .type)
            try container.encode(count, forKey: .count)
        case .duration(let duration):
            try container.encode(kind + "For", forKey: .type)
            let (seconds, attoseconds) = duration.components
            try container.encode(Double(seconds) + Double(attoseconds) / 1e18, forKey: .seconds)
        }
        try container.encodeIfPresent(api, forKey: .api)
        try container.encodeIfPresent(matching, forKey: .matching)
    }
}
