import Testing
@testable import Bridge

@Suite struct BridgeSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
