import Testing
@testable import CustomerAPIs

@Suite struct CustomerAPIsSmokeTests {
    @Test func moduleLoads() {
        #expect(Bool(true))
    }
}
