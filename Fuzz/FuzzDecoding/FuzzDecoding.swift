// libFuzzer target over event decoding and validation (issue 6). Built by `scripts/fuzz`, which
// compiles this file together with CustomerAPIs' decoding sources with `-sanitize=fuzzer,address`;
// it is not a SwiftPM target. The API simulator's request rules (written from the API documents,
// independently of the bridge) are compiled as the module `SimulatorRules` and serve as the oracle:
// every request the decoder makes must pass them, or the API would answer 400 to an event the
// bridge should have rejected itself.
//
// Input layout: byte 0 holds flags, the rest is split at the first 0x00 byte (when flags ask for
// headers) into a header text and the record value.
//   bit 0: entity event (API 2) instead of customer event (API 1)
//   bit 1: CloudEvents binary-mode headers (`ce_id` = the header text, `ce_specversion`, `ce_type`)
//   bit 2: an `event-id` header (the header text)
//   bit 3: `correlation-id` and `traceparent` headers (the header text)
//   bit 4: EXTERNAL_PARAMS_CUSTOMER_ID set
//   bit 5: a small BRIDGE_MAX_EVENT_BYTES (64)
//   bit 6: a tombstone (no value)
// Besides "never trap", it checks properties callers rely on; a broken one traps on purpose.

@testable import SimulatorRules

/// Called by libFuzzer once per input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecodingTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let flags = bytes[0]
    var rest = Array(bytes[1...])
    var headerText: [UInt8] = []
    if flags & 0b1110 != 0, let zero = rest.firstIndex(of: 0) {
        headerText = Array(rest[..<zero])
        rest = Array(rest[(zero + 1)...])
    }
    let kind: EventKind = flags & 1 == 0 ? .customerMetadata : .externalParams
    var headers: [EventHeader] = []
    if flags & 0b10 != 0 {
        headers.append(EventHeader(name: "ce_id", value: headerText))
        headers.append(EventHeader(name: "ce_specversion", value: Array("1.0".utf8)))
        headers.append(EventHeader(name: "ce_type", value: Array("com.example.fuzz".utf8)))
    }
    if flags & 0b100 != 0 { headers.append(EventHeader(name: "event-id", value: headerText)) }
    if flags & 0b1000 != 0 {
        headers.append(EventHeader(name: "correlation-id", value: headerText))
        headers.append(EventHeader(name: "traceparent", value: headerText))
    }
    let settings = EventDecoderSettings(
        maxEventBytes: flags & 0b10_0000 != 0 ? 64 : 1_048_576,
        externalParamsCustomerID: flags & 0b1_0000 != 0 ? "0b9a7c1e-4a6e-4f0e-9d4c-2f1d7e3b5a10" : nil
    )
    let topic = kind == .customerMetadata ? "customer-events" : "entity-events"
    let record = EventRecord(
        topic: topic, partition: 3, offset: 42, key: nil,
        value: flags & 0b100_0000 != 0 ? nil : rest, headers: headers
    )
    let decoder = EventDecoder(settings: settings)
    let decoded = decoder.decode(record, kind: kind)

    // Deterministic: a redone event gets the same id, request and rejection.
    precondition(decoder.decode(record, kind: kind) == decoded, "decoding is not deterministic")
    precondition(decoded.kind == kind, "the kind must come from the topic")
    // Every event id fits API 1's eventId pattern (docs/contract.md, "Event id"), so replies and API 1 accept it.
    precondition(EventID.fitsAPIPattern(decoded.eventID), "event id \(decoded.eventID) breaks API 1's pattern")
    precondition(!decoded.correlationID.isEmpty, "empty correlation id")
    for byte in decoded.correlationID.utf8 { precondition(byte >= 0x20 && byte != 0x7F, "control character in the correlation id") }
    switch decoded.decision {
    case .request(let request):
        precondition(request.kind == kind, "request for the wrong API")
        precondition(request.method == "POST", "method is not POST")
        precondition(request.path.hasPrefix("/"), "path does not start with /")
        for byte in request.path.utf8 {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
            precondition(safe, "path \(request.path) holds a byte that is not a validated path character")
        }
        // The body sent to the API is JSON the bridge's own parser reads back as an object.
        guard case .object = try? JSONParser().parse(request.body) else {
            preconditionFailure("request body is not a JSON object: \(String(decoding: request.body, as: UTF8.self))")
        }
        precondition(settings.maxEventBytes >= (record.value?.count ?? 0), "an oversized record made a request")
        checkAgainstTheAPIDocuments(request)
    case .rejected(let rejection):
        precondition(
            ["INVALID_EVENT", "INVALID_JSON", "EVENT_TOO_LARGE"].contains(rejection.code),
            "unknown rejection code \(rejection.code)")
        precondition(!rejection.message.isEmpty, "a rejection without a message")
    }
    return 0
}

/// Traps when the API (as the simulator reads its document) would refuse `request`.
func checkAgainstTheAPIDocuments(_ request: APIRequest) {
    let body: SimulatorRules.JSONValue
    do {
        body = try SimulatorRules.JSONParser.parse(request.body)
    } catch {
        preconditionFailure("the API cannot parse the body: \(error): \(String(decoding: request.body, as: UTF8.self))")
    }
    switch request.kind {
    case .customerMetadata:
        precondition(request.path == "/metadata-ingestion/v1/single-customer-metadata", "API 1 path \(request.path)")
        if case .failure(let failure) = CustomerMetadataValidator.validate(body) {
            preconditionFailure("API 1 refuses the request: \(failure): \(String(decoding: request.body, as: UTF8.self))")
        }
    case .externalParams:
        guard let segments = ExternalParamsValidator.pathSegments(request.path) else {
            preconditionFailure("API 2 has no such path: \(request.path)")
        }
        if case .failure(let failure) = ExternalParamsValidator.validateTarget(
            customerId: segments.customerId, entityType: segments.entityType, entityId: segments.entityId) {
            preconditionFailure("API 2 refuses the path: \(failure): \(request.path)")
        }
        if case .failure(let failure) = ExternalParamsValidator.validateBody(body) {
            preconditionFailure("API 2 refuses the request: \(failure): \(String(decoding: request.body, as: UTF8.self))")
        }
    }
}
