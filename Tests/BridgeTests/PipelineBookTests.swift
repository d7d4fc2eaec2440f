import CustomerAPIs
import Kafka
import Testing
@testable import Bridge

/// The pipeline's bookkeeping across a partition's revocation and re-assignment.
@Suite struct PipelineBookTests {
    let partition = KafkaTopicPartition(topic: "customer-events", partition: 0)

    func record(_ offset: Int64, key: String) -> KafkaRecord {
        KafkaRecord(
            topic: "customer-events", partition: 0, offset: offset, key: Array(key.utf8), value: Array("{}".utf8),
            headers: [], timestamp: nil)
    }

    @Test func workOfARevokedAssignmentDoesNotCountOffTheNextOnesWork() throws {
        var book = PipelineBook(maxInFlight: 4, ordering: .key)
        book.assign([partition])
        let old = try #require(book.admit(record(0, key: "a"), kind: .customerMetadata, partition: partition).start)
        // Revoked while `old` runs (its grace ran out), then assigned again, with new work.
        _ = book.beginRevoke([partition])
        book.endRevoke([partition])
        book.assign([partition])
        let new = try #require(book.admit(record(0, key: "b"), kind: .customerMetadata, partition: partition).start)
        #expect(!book.isDrained([partition]))

        // The abandoned work ends late: the new assignment's work still counts.
        _ = book.release(old, answered: false)
        #expect(!book.isDrained([partition]), "the old assignment's work counted off the new one's")
        #expect(book.complete(old) == nil, "no offset of a revoked assignment is stored")

        // The new work answers and its reply is written: now the partition is drained, and its offset moves.
        _ = book.release(new, answered: true)
        #expect(!book.isDrained([partition]), "an event whose reply is not written yet still counts")
        let done = book.replyDone(new, written: true)
        #expect(done.committable == 1)
        #expect(book.isDrained([partition]))
        #expect(book.awaitingReply == 0)
    }
}
