import Foundation
import Testing
@testable import CustomerAPIs

/// How a secret file (`NAME_FILE`) is read: the line breaks at its end go, as the settings read
/// any `NAME_FILE`; everything else stays; a file that cannot be read names the variable only.
@Suite struct ClientSecretLoadingTests {
    func temporaryFile(_ content: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(content).write(to: URL(fileURLWithPath: path))
        return path
    }

    func temporaryFile(_ content: String) throws -> String { try temporaryFile(Array(content.utf8)) }

    @Test func theLineBreaksAtTheEndGoAndNothingElse() throws {
        let cases = ["abc\n": "abc", "abc\r\n": "abc", "abc\n\n": "abc", " abc ": " abc ", "a\nb\n": "a\nb"]
        for (content, expected) in cases {
            let path = try temporaryFile(content)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(try SecretFile.read(path: path, variable: "T_FILE") == Secret(expected), "\(content.debugDescription)")
        }
    }

    @Test func anUnreadableFileIsAnErrorNamingTheVariable() {
        #expect(throws: SecretLoadingError(name: "TOKEN_FILE", reason: "cannot read the file /nonexistent/secret")) {
            try SecretFile.read(path: "/nonexistent/secret", variable: "TOKEN_FILE")
        }
    }

    @Test func aFileThatIsNotUTF8IsAnErrorWithoutItsContent() throws {
        let path = try temporaryFile([0x61, 0xFF, 0x62])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SecretLoadingError.self) {
            try SecretFile.read(path: path, variable: "TOKEN_FILE")
        }
        #expect(error?.description == "TOKEN_FILE: the file \(path) is not UTF-8 text")
    }

    @Test func secretsPrintMasked() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "******")
        #expect(String(reflecting: secret) == "******")
    }
}
