extension SettingDefinition {
    /// Every typed setting, in the order `check-config` and `docs/settings.md` list them.
    ///
    /// `KAFKA_*` properties passed through to librdkafka are not in this table: any name starting
    /// with ``kafkaPropertyPrefix`` other than `KAFKA_BOOTSTRAP_SERVERS` is one.
    public static let all: [SettingDefinition] = [
        bootstrapServers, groupID, customerTopics, entityTopics, replyTopic, dlqTopic,
        customerMetadataBaseURL, customerMetadataAPIID, customerMetadataAPISecret,
        externalParamsBaseURL, externalParamsToken, externalParamsCustomerID,
        maxInFlight, ordering, maxEventBytes, maxBufferedMegabytes,
        retryBaseMilliseconds, retryMaxMilliseconds, maxAttempts,
        circuitThreshold, circuitProbeSeconds,
        customerMetadataMaxRPS, externalParamsMaxRPS,
        httpTimeoutMilliseconds, httpCABundle, httpPort,
        logLevel, logFormat, shutdownGraceSeconds,
    ]

    /// The prefix of the librdkafka properties passed through: `KAFKA_FOO_BAR` becomes `foo.bar`.
    public static let kafkaPropertyPrefix = "KAFKA_"

    static let bootstrapServers = SettingDefinition(
        "KAFKA_BOOTSTRAP_SERVERS", flag: "--kafka-bootstrap-servers",
        accepts: "`host:port` list, comma-separated (required)",
        meaning: "The Kafka brokers to connect to first.")
    static let groupID = SettingDefinition(
        "BRIDGE_GROUP_ID", flag: "--group-id", default: "kafka-api-bridge",
        accepts: "non-empty text",
        meaning: "The consumer group; instances with the same group share the partitions.")
    static let customerTopics = SettingDefinition(
        "BRIDGE_CUSTOMER_TOPICS", flag: "--customer-topics", default: "customer-events",
        accepts: "topic names, comma-separated; empty for none",
        meaning: "Topics of customer events, sent to API 1 (customer metadata).")
    static let entityTopics = SettingDefinition(
        "BRIDGE_ENTITY_TOPICS", flag: "--entity-topics", default: "entity-events",
        accepts: "topic names, comma-separated; empty for none",
        meaning: "Topics of entity events, sent to API 2 (external params).")
    static let replyTopic = SettingDefinition(
        "BRIDGE_REPLY_TOPIC", flag: "--reply-topic", default: "bridge-replies",
        accepts: "a topic name",
        meaning: "Where one reply per input event is written.")
    static let dlqTopic = SettingDefinition(
        "BRIDGE_DLQ_TOPIC", flag: "--dlq-topic", default: "bridge-dlq",
        accepts: "a topic name",
        meaning: "Where the original record of every failed or rejected event is written.")
    static let customerMetadataBaseURL = SettingDefinition(
        "ASAPP_BASE_URL", flag: "--asapp-base-url",
        accepts: "`http://` or `https://` URL",
        meaning: "Base URL of API 1 (customer metadata ingestion).")
    static let customerMetadataAPIID = SettingDefinition(
        "ASAPP_API_ID", flag: "--asapp-api-id",
        accepts: "text; set together with `ASAPP_API_SECRET`",
        meaning: "Sent to API 1 as the `asapp-api-id` header.")
    static let customerMetadataAPISecret = SettingDefinition(
        "ASAPP_API_SECRET", flag: "--asapp-api-secret", secret: true,
        accepts: "text; set together with `ASAPP_API_ID`",
        meaning: "Sent to API 1 as the `asapp-api-secret` header.")
    static let externalParamsBaseURL = SettingDefinition(
        "EXTERNAL_PARAMS_BASE_URL", flag: "--external-params-base-url",
        accepts: "`http://` or `https://` URL",
        meaning: "Base URL of API 2 (create external params).")
    static let externalParamsToken = SettingDefinition(
        "EXTERNAL_PARAMS_TOKEN", flag: "--external-params-token", secret: true,
        accepts: "text",
        meaning: "Sent to API 2 as `Authorization: Bearer`.")
    static let externalParamsCustomerID = SettingDefinition(
        "EXTERNAL_PARAMS_CUSTOMER_ID", flag: "--external-params-customer-id",
        accepts: "UUID (8-4-4-4-12 hex digits)",
        meaning: "Customer id for entity events that carry none of their own.")
    static let maxInFlight = SettingDefinition(
        "BRIDGE_MAX_IN_FLIGHT", flag: "--max-in-flight", default: "256",
        accepts: "1–100000", range: 1...100_000,
        meaning: "Events at their API at once (being sent or retried). Up to 16 times as many (at least 4,096) are admitted, counting those waiting behind their key, and as many more may wait for their replies to be written; beyond that, fetching pauses.")
    static let ordering = SettingDefinition(
        "BRIDGE_ORDERING", flag: "--ordering", default: "key",
        accepts: "`key`, `partition`, `none`",
        meaning: "Which events wait for each other: same key in a partition, same partition, or none.")
    static let maxEventBytes = SettingDefinition(
        "BRIDGE_MAX_EVENT_BYTES", flag: "--max-event-bytes", default: "1048576",
        accepts: "1–67108864", range: 1...67_108_864,
        meaning: "Records with a larger value are rejected with `EVENT_TOO_LARGE`.")
    static let maxBufferedMegabytes = SettingDefinition(
        "BRIDGE_MAX_BUFFERED_MB", flag: "--max-buffered-mb", default: "64",
        accepts: "1–65536", range: 1...65_536,
        meaning: "Most MiB of record values and keys admitted at once, counting events whose replies are not written yet; beyond that, fetching pauses. One larger record is admitted alone.")
    static let retryBaseMilliseconds = SettingDefinition(
        "BRIDGE_RETRY_BASE_MS", flag: "--retry-base-ms", default: "200",
        accepts: "1–3600000", range: 1...3_600_000,
        meaning: "First retry delay in milliseconds (exponential backoff with full jitter).")
    static let retryMaxMilliseconds = SettingDefinition(
        "BRIDGE_RETRY_MAX_MS", flag: "--retry-max-ms", default: "30000",
        accepts: "1–3600000, at least `BRIDGE_RETRY_BASE_MS`", range: 1...3_600_000,
        meaning: "Longest retry delay in milliseconds, also the cap on `Retry-After`.")
    static let maxAttempts = SettingDefinition(
        "BRIDGE_MAX_ATTEMPTS", flag: "--max-attempts", default: "8",
        accepts: "1–1000", range: 1...1_000,
        meaning: "Attempts per event before a transient failure is final.")
    static let circuitThreshold = SettingDefinition(
        "BRIDGE_CIRCUIT_THRESHOLD", flag: "--circuit-threshold", default: "20",
        accepts: "1–100000", range: 1...100_000,
        meaning: "Transient failures in a row that open an API's circuit.")
    static let circuitProbeSeconds = SettingDefinition(
        "BRIDGE_CIRCUIT_PROBE_S", flag: "--circuit-probe-s", default: "5",
        accepts: "1–3600", range: 1...3_600,
        meaning: "Seconds between probe requests while a circuit is open.")
    static let customerMetadataMaxRPS = SettingDefinition(
        "ASAPP_MAX_RPS", flag: "--asapp-max-rps", default: "0",
        accepts: "0–100000 (0: no limit)", range: 0...100_000,
        meaning: "Most requests per second sent to API 1.")
    static let externalParamsMaxRPS = SettingDefinition(
        "EXTERNAL_PARAMS_MAX_RPS", flag: "--external-params-max-rps", default: "0",
        accepts: "0–100000 (0: no limit)", range: 0...100_000,
        meaning: "Most requests per second sent to API 2.")
    static let httpTimeoutMilliseconds = SettingDefinition(
        "BRIDGE_HTTP_TIMEOUT_MS", flag: "--http-timeout-ms", default: "10000",
        accepts: "1–600000", range: 1...600_000,
        meaning: "Timeout of one API request in milliseconds, connecting included.")
    static let httpCABundle = SettingDefinition(
        "BRIDGE_HTTP_CA_BUNDLE", flag: "--http-ca-bundle",
        accepts: "path of a PEM file",
        meaning: "Certificate authorities trusted for the APIs instead of the system's.")
    static let httpPort = SettingDefinition(
        "BRIDGE_HTTP_PORT", flag: "--http-port", default: "9090",
        accepts: "0–65535 (0: any free port)", range: 0...65_535,
        meaning: "Port of `/metrics`, `/healthz` and `/readyz`.")
    static let logLevel = SettingDefinition(
        "BRIDGE_LOG_LEVEL", flag: "--log-level", default: "info",
        accepts: "`trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`",
        meaning: "Least severe level that is logged.")
    static let logFormat = SettingDefinition(
        "BRIDGE_LOG_FORMAT", flag: "--log-format", default: "json",
        accepts: "`json`, `text`",
        meaning: "Log lines on standard error: one JSON object each, or plain text.")
    static let shutdownGraceSeconds = SettingDefinition(
        "BRIDGE_SHUTDOWN_GRACE_S", flag: "--shutdown-grace-s", default: "30",
        accepts: "0–3600", range: 0...3_600,
        meaning: "Seconds in-flight work may take to finish after SIGTERM or SIGINT.")
}
