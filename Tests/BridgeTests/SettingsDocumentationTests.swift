import Foundation
import Testing
@testable import Bridge

@Suite struct SettingsDocumentationTests {
    /// docs/settings.md, found from this file's path (Tests/BridgeTests/ → the package root).
    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/settings.md").path

    @Test func docsSettingsMatchesTheTableExactly() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.documentPath), "docs/settings.md is missing")
        let document = String(decoding: data, as: UTF8.self)
        #expect(
            document == SettingsDocumentation.markdown(),
            "docs/settings.md differs from SettingDefinition.all; regenerate it with `swift run kafka-api-bridge check-config --print-settings-doc > docs/settings.md`"
        )
    }

    @Test func everySettingIsDocumentedWithItsFlagAndDefault() {
        let document = SettingsDocumentation.markdown()
        for definition in SettingDefinition.all {
            #expect(document.contains("| `\(definition.name)` | `\(definition.flag)` |"))
            if let value = definition.defaultValue {
                #expect(document.contains("| `\(definition.flag)` | `\(value)` |"))
            }
        }
    }

    @Test func tableNamesAndFlagsAreUniqueAndWellFormed() {
        let names = SettingDefinition.all.map(\.name)
        let flags = SettingDefinition.all.map(\.flag)
        #expect(Set(names).count == names.count)
        #expect(Set(flags).count == flags.count)
        for definition in SettingDefinition.all {
            #expect(definition.name.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber })
            #expect(definition.flag.hasPrefix("--"))
            #expect(definition.flag.dropFirst(2).allSatisfy { $0.isLowercase || $0 == "-" || $0.isNumber })
            #expect(!definition.name.hasSuffix("_FILE"))
            #expect(SettingFlags.settingName(forFlag: definition.flag) == definition.name)
        }
    }
}
