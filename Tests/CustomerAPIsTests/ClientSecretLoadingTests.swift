import Foundation
import Testing
@testable import CustomerAPIs

@Suite struct ClientSecretLoadingTests {
    func temporaryFile(_ content: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func fromTheEnvironment() throws {
        #expect(try loadSecret(name: "TOKEN", environment: ["TOKEN": "abc"]) == Secret("abc"))
    }

    @Test func neitherSetIsNil() throws {
        #expect(try loadSecret(name: "TOKEN", environment: ["OTHER": "x"]) == nil)
    }

    @Test func fromAFileWithoutItsTrailingNewline() throws {
        let path = try temporaryFile("abc\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try loadSecret(name: "TOKEN", environment: ["TOKEN_FILE": path]) == Secret("abc"))
    }

    @Test func onlyOneTrailingNewlineGoes() throws {
        let crlf = try temporaryFile("abc\r\n")
        let two = try temporaryFile("abc\n\n")
        let none = try temporaryFile(" abc ")
        defer { for path in [crlf, two, none] { try? FileManager.default.removeItem(atPath: path) } }
        #expect(try loadSecret(name: "T", environment: ["T_FILE": crlf]) == Secret("abc"))
        #expect(try loadSecret(name: "T", environment: ["T_FILE": two]) == Secret("abc\n"))
        #expect(try loadSecret(name: "T", environment: ["T_FILE": none]) == Secret(" abc "))
    }

    @Test func bothSetIsAnError() throws {
        let path = try temporaryFile("from-file")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SecretLoadingError.self) {
            try loadSecret(name: "TOKEN", environment: ["TOKEN": "from-env", "TOKEN_FILE": path])
        }
        #expect(error?.description.contains("from-env") == false)
        #expect(error?.description.contains("TOKEN_FILE") == true)
    }

    @Test func anUnreadableFileIsAnError() {
        #expect(throws: SecretLoadingError.self) {
            try loadSecret(name: "TOKEN", environment: ["TOKEN_FILE": "/nonexistent/secret"])
        }
    }

    @Test func secretsPrintMasked() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "******")
        #expect(String(reflecting: secret) == "******")
    }
}
