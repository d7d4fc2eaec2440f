@testable import Kafka
import Testing

/// The poll thread's pause rules, without a broker: what is paused and why, across assignment
/// changes, and that a resume only ever goes to a partition librdkafka has paused.
@Suite struct FetchControlTests {
    private let p0 = KafkaTopicPartition(topic: "t", partition: 0)
    private let p1 = KafkaTopicPartition(topic: "t", partition: 1)
    private let p2 = KafkaTopicPartition(topic: "t", partition: 2)

    private func actions(pause: Set<KafkaTopicPartition> = [], resume: Set<KafkaTopicPartition> = []) -> FetchControl.Actions {
        FetchControl.Actions(pause: pause, resume: resume)
    }

    @Test func anApplicationPauseOfAnAssignedPartitionIsAppliedOnceAndUndoneByItsResume() {
        var control = FetchControl()
        #expect(control.assigned([p0, p1]) == actions())
        #expect(control.apply(.pause([p0])) == actions(pause: [p0]))
        #expect(control.apply(.pause([p0])) == actions(), "a second pause of a paused partition tells librdkafka nothing")
        #expect(control.apply(.resume([p0])) == actions(resume: [p0]))
        #expect(control.apply(.resume([p0])) == actions(), "a resume of a partition that is not paused must not reach librdkafka")
        #expect(control.pausedInLibrdkafka.isEmpty)
    }

    @Test func aResumeOfAPartitionNeverPausedIsNotIssued() {
        var control = FetchControl()
        _ = control.assigned([p0])
        #expect(control.apply(.resume([p0, p1])) == actions())
    }

    @Test func aPauseBeforeTheAssignmentIsAppliedWhenThePartitionIsAssigned() {
        var control = FetchControl()
        #expect(control.apply(.pause([p0])) == actions(), "nothing is told to librdkafka about a partition it has not assigned")
        #expect(control.assigned([p0, p1]) == actions(pause: [p0]))
        #expect(control.pausedInLibrdkafka == [p0])
    }

    @Test func aRevokeEndsTheApplicationsPauseAndTheAssignBackResumesWhatLibrdkafkaStillHolds() {
        var control = FetchControl()
        _ = control.assigned([p0, p1])
        _ = control.apply(.pause([p0, p1]))
        // librdkafka keeps its pause of p0 across the unassign: the revoke lifts it.
        #expect(control.revoked([p0]) == actions(resume: [p0]))
        #expect(!control.pausedByApplication.contains(p0))
        #expect(control.pausedByApplication.contains(p1), "the partition that stayed assigned stays paused")
        #expect(control.assigned([p0]) == actions(), "it comes back unpaused")
        #expect(control.pausedInLibrdkafka == [p1])
    }

    /// A pause asked while the partition's revoke was under way (the caller still saw it assigned)
    /// belongs to the assignment that ended: it must not pause the partition's next assignment,
    /// which nobody would resume.
    @Test func aPauseAskedUnderAnEndedAssignmentIsDropped() {
        var control = FetchControl()
        _ = control.assigned([p0, p1])
        let askedUnder = control.generations
        _ = control.revoked([p0])
        #expect(control.apply(.pause([p0, p1], askedUnder: askedUnder)) == actions(pause: [p1]))
        #expect(!control.pausedByApplication.contains(p0))
        #expect(control.assigned([p0]) == actions(), "the partition comes back unpaused")
        // Asked under the old generation and applied after the partition came back: still dropped.
        #expect(control.apply(.pause([p0], askedUnder: askedUnder)) == actions())
        #expect(control.apply(.pause([p0], askedUnder: control.generations)) == actions(pause: [p0]))
    }

    @Test func anAssignReappliesOnlyCurrentReasons() {
        var control = FetchControl()
        _ = control.assigned([p0, p1])
        _ = control.apply(.pause([p0]))
        #expect(control.revoked([p0, p1]) == actions(resume: [p0]))
        // Paused again while revoked: the pause is the current reason at the next assign.
        _ = control.apply(.pause([p1]))
        #expect(control.assigned([p0, p1]) == actions(pause: [p1]))
    }

    @Test func backpressurePausesEveryAssignedPartitionAndItsEndKeepsApplicationPauses() {
        var control = FetchControl()
        _ = control.assigned([p0, p1, p2])
        _ = control.apply(.pause([p1]))
        #expect(control.setBackpressure(true) == actions(pause: [p0, p2]))
        #expect(control.setBackpressure(true) == actions())
        #expect(control.assigned([KafkaTopicPartition(topic: "u", partition: 0)]) == actions(pause: [KafkaTopicPartition(topic: "u", partition: 0)]),
                "a partition assigned under backpressure starts paused")
        #expect(control.apply(.resume([p1])) == actions(), "backpressure still holds it")
        #expect(control.setBackpressure(false) == actions(resume: [p0, p1, p2, KafkaTopicPartition(topic: "u", partition: 0)]))
    }

    @Test func theEndOfBackpressureLeavesApplicationPausesInPlace() {
        var control = FetchControl()
        _ = control.assigned([p0, p1])
        _ = control.apply(.pause([p0]))
        _ = control.setBackpressure(true)
        #expect(control.setBackpressure(false) == actions(resume: [p1]))
        #expect(control.pausedInLibrdkafka == [p0])
    }

    @Test func anEagerUnassignEndsEveryPause() {
        var control = FetchControl()
        _ = control.assigned([p0, p1])
        _ = control.apply(.pause([p0]))
        #expect(control.unassignedAll() == actions(resume: [p0]))
        #expect(control.assignment.isEmpty)
        #expect(control.pausedByApplication.isEmpty)
        #expect(control.apply(.resume([p0])) == actions(), "no call for a partition that is not assigned")
        #expect(control.assigned([p0, p1]) == actions())
    }

    @Test func aManualAssignmentReplacesTheAssignment() {
        var control = FetchControl()
        _ = control.apply(.pause([p2]))
        #expect(control.apply(.assignedManually([p1, p2])) == actions(pause: [p2]))
        #expect(control.apply(.assignedManually([p0])) == actions(resume: [p2]))
        #expect(control.assignment == [p0])
        #expect(!control.pausedByApplication.contains(p2), "the replaced partition's pause ended with its assignment")
    }

    /// Any sequence of requests and assignment changes: a resume only ever goes to a partition
    /// librdkafka has paused, a pause only to an assigned one, and what librdkafka holds paused
    /// always matches the reasons.
    @Test func randomSequencesNeverResumeAnUnpausedPartition() {
        var generator = SystemRandomNumberGenerator()
        let partitions = (Int32(0)..<6).map { KafkaTopicPartition(topic: "t", partition: $0) }
        for _ in 0..<200 {
            var control = FetchControl()
            var librdkafkaPaused = Set<KafkaTopicPartition>()
            var assigned = Set<KafkaTopicPartition>()
            for _ in 0..<60 {
                let some = Set(partitions.filter { _ in Bool.random(using: &generator) })
                let result: FetchControl.Actions
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: result = control.apply(.pause(some))
                case 1: result = control.apply(.resume(some))
                case 2: result = control.setBackpressure(Bool.random(using: &generator))
                case 3:
                    let added = some.subtracting(assigned)
                    assigned.formUnion(added)
                    result = control.assigned(added)
                case 4:
                    let removed = some.intersection(assigned)
                    assigned.subtract(removed)
                    result = control.revoked(removed)
                default:
                    assigned = some
                    result = control.apply(.assignedManually(some))
                }
                #expect(result.pause.isSubset(of: assigned))
                #expect(control.pausedInLibrdkafka.isSubset(of: assigned), "a pause outlived its partition's assignment")
                #expect(result.resume.isSubset(of: librdkafkaPaused), "resumed \(result.resume.subtracting(librdkafkaPaused)) that librdkafka had not paused")
                librdkafkaPaused.formUnion(result.pause)
                librdkafkaPaused.subtract(result.resume)
                #expect(librdkafkaPaused == control.pausedInLibrdkafka)
                for partition in assigned {
                    #expect(librdkafkaPaused.contains(partition) == control.shouldPause(partition))
                }
            }
        }
    }
}
