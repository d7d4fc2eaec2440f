/// What `kafka-api-bridge replay` re-publishes, and how (docs/contract.md, "Replay").
public struct ReplayOptions: Sendable {
    /// Publish every replayed record here instead of its `dlq.source.topic`.
    public var targetTopic: String?
    /// Only records whose `dlq.error.code` is one of these (all when empty).
    public var errorCodes: Set<String> = []
    /// Only records whose `dlq.status` is this (`failed` or `rejected`).
    public var status: String?
    /// Only records whose `dlq.failed.at` is at or after this RFC 3339 instant.
    public var since: String?
    /// Only records whose `dlq.failed.at` is before this RFC 3339 instant.
    public var until: String?
    /// Replay at most this many records, then stop.
    public var limit: Int?
    /// Print what would be replayed; write and commit nothing.
    public var dryRun = false
    /// Scan the dead-letter topic from its beginning instead of the replay group's position.
    public var fromBeginning = false
    /// A record whose `dlq.replay.count` already reached this is skipped and reported.
    public var maxReplays = 3

    public init() {}
}
