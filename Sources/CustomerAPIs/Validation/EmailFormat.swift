/// The `format: email` check, where the API document gives no grammar of its own.
///
/// Accepted: `local@domain`, ASCII only, at most 254 characters. The local part is 1–64
/// characters of RFC 5322 `atext` and dots, neither starting nor ending with a dot and with no
/// two dots in a row (no quoted local parts). The domain has at least two labels of 1–63
/// letters, digits and hyphens, no label starting or ending with a hyphen, and the last label
/// is not all digits. No IP-literal domains.
enum EmailFormat {
    private static let atext = FieldPattern(
        source: "atext",
        allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
    )
    private static let labelCharacters = FieldPattern(
        source: "label",
        allowed: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
    )

    /// Whether `text` is an email address by the rule above.
    static func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        return localPartMatches(bytes[..<at]) && domainMatches(bytes[(at + 1)...])
    }

    private static func localPartMatches(_ local: ArraySlice<UInt8>) -> Bool {
        guard (1...64).contains(local.count),
              local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousWasDot = false
        for byte in local {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard atext.allows(byte) else { return false }
                previousWasDot = false
            }
        }
        return true
    }

    private static func domainMatches(_ domain: ArraySlice<UInt8>) -> Bool {
        guard (1...253).contains(domain.count) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            for byte in label where !labelCharacters.allows(byte) { return false }
        }
        if let last = labels.last, last.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) { return false }
        return true
    }
}
