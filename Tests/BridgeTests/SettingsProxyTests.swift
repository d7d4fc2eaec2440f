import CustomerAPIs
import Foundation
import Testing
@testable import Bridge

/// The proxy variables in the settings: what the API client gets and what is printed.
@Suite struct SettingsProxyTests {
    static let environment = SettingsProxyTestEnvironment.environment

    @Test func theVariablesReachTheAPIClientAndNoProxyIsDecidedPerAPI() throws {
        let settings = try BridgeSettings.load(flags: [:], environment: Self.environment, configFile: nil)
        let client = settings.apiClientSettings
        #expect(client.proxies.httpsProxy == "http://bridge:pr0xy-s3cret@proxy.corp:3128")
        #expect(try client.proxyDecision(for: .customerMetadata)?.proxy?.host == "proxy.corp")
        #expect(try client.proxyDecision(for: .externalParams) == .direct(reason: "NO_PROXY covers params.internal.corp"))
    }

    @Test func theMaskedLinesShowTheProxyWithoutItsPassword() throws {
        let settings = try BridgeSettings.load(flags: [:], environment: Self.environment, configFile: nil)
        let lines = settings.maskedLines()
        #expect(lines.contains("HTTPS_PROXY=http://bridge:******@proxy.corp:3128"))
        #expect(lines.contains("HTTP_PROXY=http://proxy.corp:3128"))
        #expect(lines.contains("NO_PROXY=.internal.corp"))
        #expect(!settings.description.contains("pr0xy-s3cret"))
    }

    @Test func aProxyVariableThatIsNotAProxyURLIsASettingsError() {
        var environment = Self.environment
        environment["HTTPS_PROXY"] = "socks5://bridge:pr0xy-s3cret@proxy.corp:1080"
        #expect {
            try BridgeSettings.load(flags: [:], environment: environment, configFile: nil)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("HTTPS_PROXY") && !message.contains("pr0xy-s3cret")
        }
    }
}
