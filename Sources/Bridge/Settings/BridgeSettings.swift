import CustomerAPIs
import Logging

/// Every setting of the bridge, typed and validated. Load with
/// ``load(flags:environment:configFile:)``; print with ``maskedLines()``.
///
/// Secrets are ``Secret`` values (or, for `KAFKA_*` properties, named in
/// ``secretKafkaPropertyNames``), so `description` and `dump` never show them.
public struct BridgeSettings: Sendable, Equatable {
    /// `KAFKA_BOOTSTRAP_SERVERS`: the brokers, as given (`host:port,host:port`).
    public var bootstrapServers: String
    /// `BRIDGE_GROUP_ID`: the consumer group.
    public var groupID: String
    /// `BRIDGE_CUSTOMER_TOPICS`: topics of customer events (API 1); may be empty.
    public var customerTopics: [String]
    /// `BRIDGE_ENTITY_TOPICS`: topics of entity events (API 2); may be empty.
    public var entityTopics: [String]
    /// `BRIDGE_REPLY_TOPIC`: where replies go.
    public var replyTopic: String
    /// `BRIDGE_DLQ_TOPIC`: where dead letters go.
    public var dlqTopic: String
    /// `ASAPP_*`: API 1, the customer-metadata ingestion API.
    public var customerMetadata: CustomerMetadataAPISettings
    /// `EXTERNAL_PARAMS_*`: API 2, the create-external-params API.
    public var externalParams: ExternalParamsAPISettings
    /// `BRIDGE_MAX_IN_FLIGHT`: events processed at once.
    public var maxInFlight: Int
    /// `BRIDGE_ORDERING`: which events wait for each other.
    public var ordering: OrderingMode
    /// `BRIDGE_MAX_EVENT_BYTES`: larger records are rejected.
    public var maxEventBytes: Int
    /// `BRIDGE_MAX_BUFFERED_MB`: the byte bound of admitted records (values and keys), in MiB.
    public var maxBufferedMegabytes: Int
    /// `BRIDGE_RETRY_BASE_MS`: the first retry delay.
    public var retryBase: Duration
    /// `BRIDGE_RETRY_MAX_MS`: the longest retry delay and the cap on `Retry-After`.
    public var retryMax: Duration
    /// `BRIDGE_MAX_ATTEMPTS`: attempts per event.
    public var maxAttempts: Int
    /// `BRIDGE_CIRCUIT_THRESHOLD`: transient failures in a row that open a circuit.
    public var circuitThreshold: Int
    /// `BRIDGE_CIRCUIT_PROBE_S`: time between probes while a circuit is open.
    public var circuitProbe: Duration
    /// `ASAPP_MAX_RPS`: request-rate cap of API 1; 0 means no limit.
    public var customerMetadataMaxRPS: Int
    /// `EXTERNAL_PARAMS_MAX_RPS`: request-rate cap of API 2; 0 means no limit.
    public var externalParamsMaxRPS: Int
    /// `BRIDGE_HTTP_TIMEOUT_MS`: timeout of one API request.
    public var httpTimeout: Duration
    /// `BRIDGE_HTTP_CA_BUNDLE`: a PEM file of trusted certificate authorities, or nil for the system's.
    public var httpCABundle: String?
    /// `BRIDGE_HTTP_PORT`: port of `/metrics`, `/healthz`, `/readyz` (0: any free port).
    public var httpPort: Int
    /// `BRIDGE_LOG_LEVEL`.
    public var logLevel: Logger.Level
    /// `BRIDGE_LOG_FORMAT`.
    public var logFormat: LogFormat
    /// `BRIDGE_SHUTDOWN_GRACE_S`: how long in-flight work may take after SIGTERM.
    public var shutdownGrace: Duration
    /// Every `KAFKA_*` setting but the bootstrap servers, as librdkafka properties
    /// (`KAFKA_SASL_PASSWORD` → `sasl.password`), for the consumer and the producer.
    public var kafkaProperties: [String: String]
    /// The keys of ``kafkaProperties`` whose values are secret (never printed or logged).
    public var secretKafkaPropertyNames: Set<String>
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (or their lower-case forms) from the environment:
    /// the proxy each API's requests go through.
    public var proxies: ProxyEnvironment

    /// Creates settings with every default, for the given brokers. Tests and embedded uses start here.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
        groupID = "kafka-api-bridge"
        customerTopics = ["customer-events"]
        entityTopics = ["entity-events"]
        replyTopic = "bridge-replies"
        dlqTopic = "bridge-dlq"
        customerMetadata = CustomerMetadataAPISettings()
        externalParams = ExternalParamsAPISettings()
        maxInFlight = 256
        ordering = .key
        maxEventBytes = 1_048_576
        maxBufferedMegabytes = 64
        retryBase = .milliseconds(200)
        retryMax = .milliseconds(30_000)
        maxAttempts = 8
        circuitThreshold = 20
        circuitProbe = .seconds(5)
        customerMetadataMaxRPS = 0
        externalParamsMaxRPS = 0
        httpTimeout = .milliseconds(10_000)
        httpCABundle = nil
        httpPort = 9090
        logLevel = .info
        logFormat = .json
        shutdownGrace = .seconds(30)
        kafkaProperties = [:]
        secretKafkaPropertyNames = []
        proxies = .empty
    }

    /// The kind of the events on `topic`, or nil when the bridge does not consume it.
    public func eventKind(ofTopic topic: String) -> EventKind? {
        if customerTopics.contains(topic) { return .customerMetadata }
        if entityTopics.contains(topic) { return .externalParams }
        return nil
    }

    /// Every input topic: the customer topics, then the entity topics.
    public var inputTopics: [String] { customerTopics + entityTopics }
}

/// Where and how to reach API 1, the customer-metadata ingestion API.
public struct CustomerMetadataAPISettings: Sendable, Equatable {
    /// `ASAPP_BASE_URL`, or nil when API 1 is not configured.
    public var baseURL: String?
    /// `ASAPP_API_ID`: the `asapp-api-id` header.
    public var apiID: String?
    /// `ASAPP_API_SECRET`: the `asapp-api-secret` header.
    public var apiSecret: Secret?
    /// `ASAPP_API_SECRET_FILE`: the file the secret was read from, read again when it changes.
    public var apiSecretFile: String?

    /// Creates API 1 settings; everything unset by default.
    public init(baseURL: String? = nil, apiID: String? = nil, apiSecret: Secret? = nil, apiSecretFile: String? = nil) {
        self.baseURL = baseURL
        self.apiID = apiID
        self.apiSecret = apiSecret
        self.apiSecretFile = apiSecretFile
    }
}

/// Where and how to reach API 2, the create-external-params API.
public struct ExternalParamsAPISettings: Sendable, Equatable {
    /// `EXTERNAL_PARAMS_BASE_URL`, or nil when API 2 is not configured.
    public var baseURL: String?
    /// `EXTERNAL_PARAMS_TOKEN`: sent as `Authorization: Bearer`.
    public var token: Secret?
    /// `EXTERNAL_PARAMS_CUSTOMER_ID`: the customer of entity events that name none.
    public var customerID: String?
    /// `EXTERNAL_PARAMS_TOKEN_FILE`: the file the token was read from, read again when it changes.
    public var tokenFile: String?

    /// Creates API 2 settings; everything unset by default.
    public init(baseURL: String? = nil, token: Secret? = nil, customerID: String? = nil, tokenFile: String? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.customerID = customerID
        self.tokenFile = tokenFile
    }
}
