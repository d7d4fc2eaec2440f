import ArgumentParser
import Bridge
import Foundation

/// The settings options of every command that runs the bridge: `--config FILE` plus one flag per
/// setting of `SettingDefinition.all` (`--max-in-flight 64`, `--asapp-api-secret-file PATH`,
/// `--kafka-security-protocol SASL_SSL`…).
///
/// ArgumentParser cannot declare options from a table at run time, so the setting flags are taken as
/// unrecognised arguments and parsed by `SettingFlags`, which knows the table; an unknown flag is
/// still an error. The command's help lists the flags (`SettingFlags.helpText`).
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A YAML file of settings (NAME: value); flags and the environment win over it.", valueName: "file"))
    var config: String?

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Settings as --flag value or --flag=value (listed below).", valueName: "setting-flags"))
    var settingArguments: [String] = []

    /// The flags as setting names and values.
    func flagValues() throws -> [String: String] {
        do {
            return try SettingFlags.values(from: settingArguments)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws {
        _ = try flagValues()
    }

    /// Loads and validates the settings from the flags, the process environment and `--config`.
    func load() throws -> BridgeSettings {
        let flags = try flagValues()
        do {
            return try BridgeSettings.load(flags: flags, environment: ProcessInfo.processInfo.environment, configFile: config)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
