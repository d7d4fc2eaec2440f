/// Kafka's rules for topic names: 1 to 249 of `a-z A-Z 0-9 . _ -`, and not `.` or `..`.
enum TopicName {
    static func validate(_ name: String, setting: String) throws(SettingsError) {
        guard !name.isEmpty else {
            throw SettingsError.invalidValue("\(setting) has an empty topic name")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
            default: false
            }
        }
        guard allowed, name.count <= 249, name != ".", name != ".." else {
            throw SettingsError.invalidValue(
                "\(setting) has an invalid topic name \(SettingsReader.quoted(name)): use 1 to 249 of a-z A-Z 0-9 . _ -")
        }
    }
}
