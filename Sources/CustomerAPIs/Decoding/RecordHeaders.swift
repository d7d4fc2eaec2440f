/// The record headers the decoder reads: ids, correlation and trace context.
struct RecordHeaders {
    /// `correlation-id`, else `x-correlation-id`, when usable as an HTTP header value.
    var correlationID: String?
    /// `traceparent`, when it is a well-formed W3C trace context header.
    var traceparent: String?
    /// The `event-id` header, when present and not empty.
    var eventID: String?
    /// The CloudEvents binary-mode `ce_id` header, when present and not empty.
    var cloudEventsID: String?

    /// The longest correlation id forwarded; a longer one is ignored.
    static let maxCorrelationIDLength = 1024

    init(_ headers: [EventHeader]) {
        var correlation: String?
        var xCorrelation: String?
        for header in headers {
            switch header.name {
            case "correlation-id": if correlation == nil { correlation = Self.headerValue(header.value) }
            case "x-correlation-id": if xCorrelation == nil { xCorrelation = Self.headerValue(header.value) }
            case "traceparent": if traceparent == nil { traceparent = Self.traceparent(header.value) }
            case "event-id": if eventID == nil { eventID = Self.text(header.value) }
            case "ce_id": if cloudEventsID == nil { cloudEventsID = Self.text(header.value) }
            default: break
            }
        }
        correlationID = correlation ?? xCorrelation
    }

    /// A header's UTF-8 text when it has some.
    private static func text(_ value: [UInt8]?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return String(validating: value, as: UTF8.self)
    }

    /// A correlation id safe to send as an HTTP header: printable ASCII, trimmed, 1–1024 bytes.
    private static func headerValue(_ value: [UInt8]?) -> String? {
        guard let value else { return nil }
        var start = value.startIndex
        var end = value.endIndex
        while start < end, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
        while end > start, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
        guard start < end, end - start <= maxCorrelationIDLength else { return nil }
        for byte in value[start..<end] where byte < 0x20 || byte > 0x7E { return nil }
        return String(decoding: value[start..<end], as: UTF8.self)
    }

    /// A `traceparent` as W3C Trace Context defines it: `vv-<32 hex>-<16 hex>-ff`, lowercase,
    /// ids not all zero, version not `ff`; a later version may append `-…` fields.
    private static func traceparent(_ value: [UInt8]?) -> String? {
        guard let value, value.count >= 55, value.count <= 512 else { return nil }
        func isLowerHex(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 || byte &- UInt8(ascii: "a") < 6 }
        for (index, byte) in value.prefix(55).enumerated() {
            switch index {
            case 2, 35, 52: guard byte == UInt8(ascii: "-") else { return nil }
            default: guard isLowerHex(byte) else { return nil }
            }
        }
        let version = value[0..<2]
        guard version.elementsEqual("ff".utf8) == false else { return nil }
        if value.count > 55 {
            guard !version.elementsEqual("00".utf8), value[55] == UInt8(ascii: "-") else { return nil }
        }
        guard value[3..<35].contains(where: { $0 != UInt8(ascii: "0") }),
              value[36..<52].contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
        return String(validating: value, as: UTF8.self)
    }
}
