import Testing
@testable import Bridge

/// The reply writer's pacing: a hand-over waits for the broker's first answers to the previous one,
/// or for its limit, and nothing older moves it.
@Suite struct ReplyHandOverPacingTests {
    @Test func theWriterGoesOnAtOnceWhenThePreviousHandOverIsAnswered() {
        var pacing = ReplyHandOverPacing()
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(goesOn) }
        let first = pacing.handedOver(count: 2)
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(goesOn) }
        #expect(!pacing.writerWaits)
    }

    @Test func theWaitingWriterGoesOnWithTheLastAnswerOnly() {
        var pacing = ReplyHandOverPacing()
        let first = pacing.handedOver(count: 3)
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first); #expect(goesOn) }
        #expect(!pacing.writerWaits)
        // A fourth answer (there is none) or the limit afterwards release nobody twice.
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.limitPassed(handOver: first); #expect(!goesOn) }
    }

    @Test func theLimitReleasesTheWriterWhenAnAnswerNeverComes() {
        var pacing = ReplyHandOverPacing()
        let first = pacing.handedOver(count: 2)
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(!goesOn) }
        do { let goesOn = pacing.limitPassed(handOver: first); #expect(goesOn) }
        #expect(!pacing.writerWaits)
        // The missing answer comes late: it changes nothing.
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(goesOn) }
    }

    @Test func answersAndLimitsOfAnEarlierHandOverDoNotMoveTheLatest() {
        var pacing = ReplyHandOverPacing()
        let first = pacing.handedOver(count: 1)
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(!goesOn) }
        do { let goesOn = pacing.limitPassed(handOver: first); #expect(goesOn) }
        let second = pacing.handedOver(count: 2)
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first); #expect(!goesOn) }
        do { let goesOn = pacing.limitPassed(handOver: first); #expect(!goesOn) }
        #expect(pacing.unanswered == 2 && pacing.writerWaits)
        do { let goesOn = pacing.answered(handOver: second); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: second); #expect(goesOn) }
    }

    @Test func answersCountedTogetherReleaseTheWriterOnce() {
        var pacing = ReplyHandOverPacing()
        let first = pacing.handedOver(count: 5)
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first, count: 3); #expect(!goesOn) }
        do { let goesOn = pacing.answered(handOver: first, count: 2); #expect(goesOn) }
        do { let goesOn = pacing.answered(handOver: first, count: 1); #expect(!goesOn) }
    }

    @Test func anEmptyHandOverHoldsNothingUp() {
        var pacing = ReplyHandOverPacing()
        _ = pacing.handedOver(count: 0)
        do { let goesOn = pacing.writerWantsToHandOver(); #expect(goesOn) }
    }

    @Test func theGateLetsTheWriterGoOnAfterTheAnswersOrTheLimit() async {
        let gate = ReplyHandOverGate()
        let first = gate.handedOver(count: 1)
        let answerer = Task {
            try? await Task.sleep(for: .milliseconds(20))
            gate.answered(handOver: first)
        }
        var limitStarted = false
        await gate.waitToHandOver { limitStarted = true }
        #expect(limitStarted)
        await answerer.value

        let second = gate.handedOver(count: 1)
        await gate.waitToHandOver {
            Task {
                try? await Task.sleep(for: .milliseconds(20))
                gate.limitPassed(handOver: second)
            }
        }
        // Answered already: no wait and no limit.
        gate.answered(handOver: gate.handedOver(count: 1))
        await gate.waitToHandOver { Issue.record("the limit started though nothing was unanswered") }
    }
}
