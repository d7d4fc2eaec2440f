import Foundation
@testable import Bridge

/// A temporary folder for a test's files, removed when the test is done with it.
final class SettingsTemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "settings-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `content` to `name` in the folder and returns the file's path.
    @discardableResult
    func write(_ name: String, _ content: String) throws -> String {
        let file = path + "/" + name
        try content.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The minimal environment that loads: a broker list and nothing else.
let minimalEnvironment = ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092"]

/// Loads settings, returning the error message instead of throwing, for table tests of errors.
func settingsErrorMessage(
    flags: [String: String] = [:],
    environment: [String: String] = minimalEnvironment,
    configFile: String? = nil
) -> String? {
    do {
        _ = try BridgeSettings.load(flags: flags, environment: environment, configFile: configFile)
        return nil
    } catch {
        return error.message
    }
}
