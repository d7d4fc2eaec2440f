@testable import Bridge
import CustomerAPIs
import Kafka
import Testing

/// The pauses that follow "an event of this API waits for its circuit" (docs/contract.md, "Pauses"), for
/// every partition this member owns, across rebalances.
@Suite struct CircuitPausesTests {
    static let kinds: [String: EventKind] = ["customer-events": .customerMetadata, "entity-events": .externalParams]

    static func customer(_ partition: Int32) -> KafkaTopicPartition { KafkaTopicPartition(topic: "customer-events", partition: partition) }
    static func entity(_ partition: Int32) -> KafkaTopicPartition { KafkaTopicPartition(topic: "entity-events", partition: partition) }

    @Test func aWaitingEventPausesEveryOwnedPartitionOfItsAPIOnly() {
        var pauses = CircuitPauses(topicKinds: Self.kinds)
        #expect(pauses.assigned([Self.customer(0), Self.customer(1), Self.entity(0)]).isEmpty)
        #expect(pauses.kind(.customerMetadata, waits: true) == [.pause([Self.customer(0), Self.customer(1)])])
        #expect(pauses.kind(.customerMetadata, waits: true).isEmpty, "already paused")
        #expect(pauses.kind(.customerMetadata, waits: false) == [.resume([Self.customer(0), Self.customer(1)])])
        #expect(pauses.kind(.customerMetadata, waits: false).isEmpty)
    }

    @Test func partitionsAssignedWhileAnEventWaitsArePausedToo() {
        var pauses = CircuitPauses(topicKinds: Self.kinds)
        _ = pauses.assigned([Self.customer(0)])
        _ = pauses.kind(.customerMetadata, waits: true)
        #expect(pauses.assigned([Self.customer(1), Self.entity(1)]) == [.pause([Self.customer(1)])])
        #expect(pauses.kind(.customerMetadata, waits: false) == [.resume([Self.customer(0), Self.customer(1)])])
    }

    /// The case of issue 13: a partition paused here moves to another member while an event
    /// waits. The revoke ends its pause in the Kafka layer, so no resume is sent for it (one sent
    /// while the revoke is under way could leave librdkafka's own pause behind), and it is paused
    /// again only if it comes back while an event still waits.
    @Test func aRevokedPartitionLeavesThePausesAndIsPausedAgainOnlyIfItComesBackWhileAnEventWaits() {
        var pauses = CircuitPauses(topicKinds: Self.kinds)
        _ = pauses.assigned([Self.customer(0), Self.customer(1), Self.customer(2)])
        _ = pauses.kind(.customerMetadata, waits: true)
        _ = pauses.revoked([Self.customer(1), Self.customer(2)])
        #expect(pauses.assigned([Self.customer(2)]) == [.pause([Self.customer(2)])], "back while an event waits")
        #expect(pauses.kind(.customerMetadata, waits: false) == [.resume([Self.customer(0), Self.customer(2)])])
        #expect(pauses.assigned([Self.customer(1)]).isEmpty, "back after no event waits: nothing to pause")
        #expect(pauses.paused.isEmpty)
    }
}
