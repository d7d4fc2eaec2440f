import CRdKafka
import Logging

/// Administrative operations.
public enum KafkaAdmin {
    /// Creates topic `name` with `partitions` partitions. An existing topic is not an error.
    ///
    /// For a `KafkaMockCluster` of this process (matched by `bootstrapServers`) the topic is created
    /// through the mock's own call, because librdkafka 2.0.2's mock does not serve CreateTopics.
    /// Otherwise it sends CreateTopics with an admin client, on a dedicated thread.
    /// - Parameter properties: any librdkafka property for the admin client.
    public static func createTopic(
        bootstrapServers: String, name: String, partitions: Int32, properties: [String: String] = [:]
    ) async throws(KafkaError) {
        if let mock = MockClusterRegistry.shared.cluster(for: bootstrapServers) {
            try mock.createTopic(name, partitions: partitions)
            return
        }
        let settings = [("bootstrap.servers", bootstrapServers)] + properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let conf = try RDKafkaConfiguration.make(settings)
        let rk = RDKafkaPointer(raw: try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf))
        let result: Result<Void, KafkaError> = await withCheckedContinuation { continuation in
            KafkaThread(name: "kafka-admin") {
                continuation.resume(returning: createTopicBlocking(rk: rk.raw, name: name, partitions: partitions))
                rd_kafka_destroy(rk.raw)
            }.detach()
        }
        try result.get()
    }

    private static func createTopicBlocking(rk: OpaquePointer, name: String, partitions: Int32) -> Result<Void, KafkaError> {
        let timeoutMilliseconds: Int32 = 30_000
        var errstr = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(name, partitions, -1, &errstr, errstr.count) else {
            return .failure(KafkaError.invalidArgument(String(nulTerminated: errstr)))
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        guard let queue = rd_kafka_queue_new(rk) else { return .failure(KafkaError(RD_KAFKA_RESP_ERR__FAIL)) }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
        var topics: [OpaquePointer?] = [newTopic]
        rd_kafka_CreateTopics(rk, &topics, 1, options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 5_000) else {
            return .failure(KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT))
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            return .failure(KafkaError(librdkafkaCode: eventError.rawValue, message: String(librdkafka: rd_kafka_event_error_string(event))))
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return .failure(KafkaError(RD_KAFKA_RESP_ERR__FAIL)) }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return .success(()) }
        for index in 0..<count {
            guard let topicResult = results[index] else { continue }
            let err = rd_kafka_topic_result_error(topicResult)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let message = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? ""
                return .failure(KafkaError(librdkafkaCode: err.rawValue, message: message))
            }
        }
        return .success(())
    }
}
