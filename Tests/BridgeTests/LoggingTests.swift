import Foundation
import Logging
import Synchronization
import Testing
import CustomerAPIs
@testable import Bridge

/// Lines a test logger wrote.
final class CapturedLogLines: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var output: LogOutput { LogOutput { line in self.storage.withLock { $0.append(line) } } }
}

@Suite struct LoggingTests {
    static func logger(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, CapturedLogLines) {
        let captured = CapturedLogLines()
        let handler = BridgeLogHandler(label: "bridge.test", level: level, format: format, output: captured.output)
        return (Logger(label: "bridge.test", factory: { _ in handler }), captured)
    }

    static func object(_ line: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(value as? [String: Any])
    }

    @Test func jsonLineHasTheFixedMembersAndFlattenedMetadata() throws {
        var (logger, captured) = Self.logger(.json)
        logger[metadataKey: "instance"] = "i-1"
        logger.info("event \"done\"\nnext", metadata: [
            "event": ["id": "e-1", "source": ["topic": "customer-events", "partition": "0"]],
            "attempts": .stringConvertible(3),
            "codes": ["A", "B"],
            "message": "clash",
        ])
        let lines = captured.lines
        try #require(lines.count == 1)
        #expect(!lines[0].contains("\n"))
        let object = try Self.object(lines[0])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "bridge.test")
        #expect(object["message"] as? String == "event \"done\"\nnext")
        #expect(object["instance"] as? String == "i-1")
        #expect(object["event.id"] as? String == "e-1")
        #expect(object["event.source.topic"] as? String == "customer-events")
        #expect(object["event.source.partition"] as? String == "0")
        #expect(object["attempts"] as? String == "3")
        #expect(object["codes"] as? [String] == ["A", "B"])
        #expect(object["metadata.message"] as? String == "clash")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
    }

    @Test func levelFiltersEntries() {
        let (logger, captured) = Self.logger(.json, level: .warning)
        logger.info("hidden")
        logger.debug("hidden")
        logger.warning("shown")
        logger.error("shown too")
        #expect(captured.lines.count == 2)
    }

    @Test func textLineIsReadable() {
        let (logger, captured) = Self.logger(.text)
        logger.notice("started", metadata: ["topics": "a,b", "note": "two words"])
        let line = captured.lines.first ?? ""
        #expect(line.wholeMatch(of: /\d{4}-\d{2}-\d{2}T[0-9:.]+Z notice \[bridge\.test\] started note="two words" topics=a,b/) != nil, "\(line)")
    }

    @Test(arguments: [LogFormat.json, .text])
    func secretsInMetadataNeverReachTheOutput(format: LogFormat) throws {
        let folder = try SettingsTemporaryFolder()
        let settings = try SettingsMaskingTests.settingsWithSecretsEverywhere(folder: folder)
        var (logger, captured) = Self.logger(format)
        logger[metadataKey: "token"] = "handler-T0KEN"
        logger.info("loaded settings", metadata: [
            "settings": "\(settings)",
            "apiSecret": .stringConvertible(settings.customerMetadata.apiSecret ?? Secret("")),
            "nested": ["Authorization": "Bearer nested-T0KEN", "kafka_password": "nested-PA55"],
            "bearer": "\(settings.externalParams.token ?? Secret(""))",
        ])
        logger.error("failed", metadata: ["asapp-api-secret": "header-S3CRET"])
        let output = captured.lines.joined(separator: "\n")
        #expect(captured.lines.count == 2)
        for secret in SettingsMaskingTests.secrets + ["handler-T0KEN", "nested-T0KEN", "nested-PA55", "header-S3CRET"] {
            #expect(!output.contains(secret), "\(secret) leaked in \(format)")
        }
        #expect(output.contains("******"))
    }

    @Test func metadataProviderAndEntryMetadataMerge() throws {
        let captured = CapturedLogLines()
        let provider = Logger.MetadataProvider { ["trace": "t-1", "shared": "provider"] }
        var handler = BridgeLogHandler(label: "x", level: .trace, format: .json, output: captured.output, metadataProvider: provider)
        handler[metadataKey: "shared"] = "handler"
        let logger = Logger(label: "x", factory: { _ in handler })
        logger.trace("m", metadata: ["own": "1"])
        let object = try Self.object(try #require(captured.lines.first))
        #expect(object["trace"] as? String == "t-1")
        #expect(object["shared"] as? String == "provider")
        #expect(object["own"] as? String == "1")
    }

    @Test func errorsAreLogged() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "broker gone" } }
        let (logger, captured) = Self.logger(.json)
        logger.error("m", error: Failure())
        let object = try Self.object(try #require(captured.lines.first))
        #expect(object["error"] as? String == "broker gone")
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_795_341_600.123, "2026-11-22T10:00:00.123Z"),
        (951_782_400.999, "2000-02-29T00:00:00.999Z"),
        (-1.5, "1969-12-31T23:59:58.500Z"),
    ])
    func timestampsAreRFC3339InUTC(seconds: Double, expected: String) {
        #expect(LogTimestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func jsonEscapesControlCharacters() throws {
        let text = "a\u{0}b\u{1F}c\\d\"e\tf\u{2028}g"
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(JSONWriter.quoted(text))]".utf8)) as? [String]
        #expect(decoded == [text])
    }
}
