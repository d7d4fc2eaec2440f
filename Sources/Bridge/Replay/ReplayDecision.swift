import Kafka

/// What replay does with one dead letter, decided from its headers alone (no I/O), and the record
/// it re-publishes.
enum ReplayDecision: Sendable {
    /// Re-publish this record.
    case replay(KafkaOutgoingRecord)
    /// Leave it; the reason is reported in the summary.
    case skip(SkipReason)

    enum SkipReason: String, Sendable, Equatable, CaseIterable {
        case filtered = "did not match the filters"
        case noSourceTopic = "no dlq.source.topic (use --to)"
        case tooManyReplays = "replayed --max-replays times already"
    }

    /// Why the record is skipped; `nil` when it is replayed.
    var skipReason: SkipReason? {
        if case .skip(let reason) = self { reason } else { nil }
    }

    struct Filters: Sendable {
        var targetTopic: String?
        var errorCodes: Set<String>
        var status: String?
        var since: Timestamp?
        var until: Timestamp?
        var maxReplays: Int
    }

    static func decide(_ record: KafkaRecord, filters: Filters) -> ReplayDecision {
        let header = record.headerText
        if !filters.errorCodes.isEmpty, !filters.errorCodes.contains(header(DeadLetterHeader.errorCode) ?? "") {
            return .skip(.filtered)
        }
        if let status = filters.status, header(DeadLetterHeader.status) != status {
            return .skip(.filtered)
        }
        if filters.since != nil || filters.until != nil {
            guard let failedAt = header(DeadLetterHeader.failedAt).flatMap(Timestamp.init(rfc3339:)) else { return .skip(.filtered) }
            if let since = filters.since, failedAt < since { return .skip(.filtered) }
            if let until = filters.until, failedAt >= until { return .skip(.filtered) }
        }
        let replayCount = DeadLetterHeader.replayCount(of: record)
        if replayCount >= filters.maxReplays {
            return .skip(.tooManyReplays)
        }
        guard let topic = filters.targetTopic ?? header(DeadLetterHeader.sourceTopic), !topic.isEmpty else {
            return .skip(.noSourceTopic)
        }
        var headers = record.headers.filter { !DeadLetterHeader.isDeadLetterHeader($0.name) && $0.name != "event-id" }
        if let eventID = header(DeadLetterHeader.eventID) {
            headers.append(KafkaHeader(name: "event-id", value: Array(eventID.utf8)))
        }
        headers.append(KafkaHeader(name: DeadLetterHeader.replayCount, value: Array(String(replayCount + 1).utf8)))
        return .replay(KafkaOutgoingRecord(topic: topic, keyBytes: record.key, valueBytes: record.value, headers: headers))
    }
}
