import Testing
import CustomerAPIs

/// The codes the client names itself: replies and dead letters carry this text, so it must not change.
@Suite struct ClientFailureCodeTests {
    @Test func eachCodeKeepsItsText() {
        let codes: [(ClientFailureCode, String)] = [
            (.timeout, "TIMEOUT"), (.connectionFailed, "CONNECTION_FAILED"), (.apiNotConfigured, "API_NOT_CONFIGURED"),
            (.proxyAuthenticationRequired, "PROXY_AUTHENTICATION_REQUIRED"), (.proxyConnectFailed, "PROXY_CONNECT_FAILED"),
            (.proxyUnreachable, "PROXY_UNREACHABLE"), (.httpStatus(503), "HTTP_503"),
        ]
        for (code, text) in codes {
            #expect(code.code == text)
            #expect(code.description == text)
        }
    }

    @Test func aFailureMadeWithACodeCarriesItsText() {
        let failure = APIFailure(kind: .transient, code: .timeout, message: "no answer")
        #expect(failure.code == "TIMEOUT")
    }
}
