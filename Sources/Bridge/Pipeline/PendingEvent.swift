import CustomerAPIs
import Kafka

/// One record admitted into the pipeline. A class: it moves through the scheduler's queues and
/// the lane tasks many times, and one reference count is cheaper than copying its strings and arrays.
final class PendingEvent: LaneScheduled {
    let record: KafkaRecord
    let kind: EventKind
    let lane: OrderingLane?
    let partition: KafkaTopicPartition
    /// The assignment generation the record was read under; work of an older one is abandoned.
    let generation: UInt64
    /// What the record costs against the pipeline's byte bound: its value and key.
    let bytes: Int

    init(record: KafkaRecord, kind: EventKind, lane: OrderingLane?, partition: KafkaTopicPartition, generation: UInt64) {
        self.record = record
        self.kind = kind
        self.lane = lane
        self.partition = partition
        self.generation = generation
        self.bytes = Self.bytes(of: record)
    }

    /// A record's cost against the byte bound (docs/contract.md, "Bounded memory": values and keys).
    static func bytes(of record: KafkaRecord) -> Int {
        (record.value?.count ?? 0) + (record.key?.count ?? 0)
    }
}
