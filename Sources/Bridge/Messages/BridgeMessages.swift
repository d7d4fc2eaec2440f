import CustomerAPIs
import Kafka

/// Builds the records the bridge owes the broker for one event: its reply (docs/contract.md, "Replies")
/// and, for a failed or rejected event, its dead letter ("Dead letters").
struct BridgeMessages: Sendable {
    let replyTopic: String
    let deadLetterTopic: String

    /// The reply, followed by the dead letter when the event has one (always in this order).
    func make(for record: KafkaRecord, event: DecodedEvent, resolution: EventResolution, completedAt: Timestamp) -> [KafkaOutgoingRecord] {
        var records = [reply(for: record, event: event, resolution: resolution, completedAt: completedAt)]
        if resolution.isDeadLettered {
            records.append(deadLetter(for: record, event: event, resolution: resolution, failedAt: completedAt))
        }
        return records
    }

    func reply(for record: KafkaRecord, event: DecodedEvent, resolution: EventResolution, completedAt: Timestamp) -> KafkaOutgoingRecord {
        var json = JSONWriter(reservingCapacity: 384)
        json.beginObject()
        json.key("status"); json.string(resolution.status.rawValue)
        json.key("kind"); json.string(event.kind.rawValue)
        json.key("eventId"); json.string(event.eventID)
        json.key("source")
        json.beginObject()
        json.key("topic"); json.string(record.topic)
        json.key("partition"); json.integer(record.partition)
        json.key("offset"); json.integer(record.offset)
        json.endObject()
        json.key("attempts"); json.integer(resolution.attempts)
        json.key("httpStatus")
        if let status = resolution.httpStatus { json.integer(status) } else { json.null() }
        json.key("result")
        if resolution.status == .succeeded, let resultID = resolution.resultID {
            json.beginObject()
            json.key(event.kind == .customerMetadata ? "eventId" : "requestId")
            json.string(resultID)
            json.endObject()
        } else {
            json.null()
        }
        json.key("error")
        if let error = resolution.error {
            json.beginObject()
            json.key("code"); json.string(error.code)
            json.key("message"); json.string(error.message)
            json.key("retryable"); json.bool(error.retryable)
            json.endObject()
        } else {
            json.null()
        }
        json.key("duplicate"); json.bool(resolution.duplicate)
        json.key("completedAt"); json.string(completedAt.rfc3339)
        json.endObject()

        var headers = [
            KafkaHeader(name: "correlation-id", value: Array(event.correlationID.utf8))
        ]
        if let traceparent = event.traceparent {
            headers.append(KafkaHeader(name: "traceparent", value: Array(traceparent.utf8)))
        }
        headers.append(KafkaHeader(name: "bridge-status", value: Array(resolution.status.rawValue.utf8)))
        return KafkaOutgoingRecord(topic: replyTopic, keyBytes: record.key, valueBytes: json.bytes[...], headers: headers)
    }

    func deadLetter(for record: KafkaRecord, event: DecodedEvent, resolution: EventResolution, failedAt: Timestamp) -> KafkaOutgoingRecord {
        let replayCount = DeadLetterHeader.replayCount(of: record)
        // The original headers byte for byte, except earlier dead-letter headers, which are replaced.
        var headers = record.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.name) }
        func add(_ name: String, _ value: String) {
            headers.append(KafkaHeader(name: name, value: Array(value.utf8)))
        }
        let error = resolution.error
        add(DeadLetterHeader.sourceTopic, record.topic)
        add(DeadLetterHeader.sourcePartition, String(record.partition))
        add(DeadLetterHeader.sourceOffset, String(record.offset))
        add(DeadLetterHeader.eventID, event.eventID)
        add(DeadLetterHeader.status, resolution.status.rawValue)
        add(DeadLetterHeader.errorCode, error?.code ?? "")
        add(DeadLetterHeader.errorMessage, error?.message ?? "")
        if let status = resolution.httpStatus { add(DeadLetterHeader.httpStatus, String(status)) }
        add(DeadLetterHeader.attempts, String(resolution.attempts))
        add(DeadLetterHeader.failedAt, failedAt.rfc3339)
        add(DeadLetterHeader.replayCount, String(replayCount))
        add("__connect.errors.topic", record.topic)
        add("__connect.errors.partition", String(record.partition))
        add("__connect.errors.offset", String(record.offset))
        add("__connect.errors.exception.message", "\(error?.code ?? ""): \(error?.message ?? "")")
        let timestamp: Int64? = switch record.timestamp {
        case .createTime(let milliseconds), .logAppendTime(let milliseconds): milliseconds
        case nil: nil
        }
        return KafkaOutgoingRecord(
            topic: deadLetterTopic, keyBytes: record.key, valueBytes: record.value, headers: headers, timestamp: timestamp)
    }
}

/// The names of the dead-letter headers (docs/contract.md, "Dead-letter headers"), shared by the writer and `replay`.
enum DeadLetterHeader {
    static let sourceTopic = "dlq.source.topic"
    static let sourcePartition = "dlq.source.partition"
    static let sourceOffset = "dlq.source.offset"
    static let eventID = "dlq.event.id"
    static let status = "dlq.status"
    static let errorCode = "dlq.error.code"
    static let errorMessage = "dlq.error.message"
    static let httpStatus = "dlq.http.status"
    static let attempts = "dlq.attempts"
    static let failedAt = "dlq.failed.at"
    static let replayCount = "dlq.replay.count"
    /// `true` on a dead letter written without its value, because it was too large
    /// (docs/contract.md, "Omitted-value dead letters").
    static let valueOmitted = "dlq.value.omitted"
    /// The length of the omitted value, on a dead letter written without it.
    static let valueBytes = "dlq.value.bytes"

    /// Whether a header is one the bridge writes on dead letters (`dlq.*` or `__connect.errors.*`).
    static func isDeadLetterHeader(_ name: String) -> Bool {
        name.hasPrefix("dlq.") || name.hasPrefix("__connect.errors.")
    }

    /// How many times the record was replayed: its `dlq.replay.count` header as a whole number,
    /// spaces around it allowed; 0 when the header is missing or holds anything else.
    static func replayCount(of record: KafkaRecord) -> Int {
        record.headerText(replayCount).flatMap { Int($0.trimmingSpaces) } ?? 0
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
