import Testing
@testable import APISimulator

@Suite struct APISimulatorSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
