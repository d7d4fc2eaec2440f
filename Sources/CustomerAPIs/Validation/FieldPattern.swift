/// A pattern of the form `[class]+` from the API documents, matched in full against a
/// string's UTF-8 bytes with a 128-bit ASCII set: no regular expression per event.
struct FieldPattern: Sendable {
    /// The pattern as the API document writes it, for messages.
    let source: String
    private let low: UInt64
    private let high: UInt64

    /// Creates a pattern accepting one or more of the ASCII characters in `allowed`.
    init(source: String, allowed: String) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for byte in allowed.utf8 where byte < 128 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.source = source
        self.low = low
        self.high = high
    }

    /// Whether `byte` is one of the pattern's characters.
    @inline(__always)
    func allows(_ byte: UInt8) -> Bool {
        if byte < 64 { return low & (1 << UInt64(byte)) != 0 }
        if byte < 128 { return high & (1 << UInt64(byte - 64)) != 0 }
        return false
    }

    /// Whether the whole of `text` matches: at least one character, every one allowed.
    func matchesWhole(_ text: String) -> Bool {
        let utf8 = text.utf8
        if let result = utf8.withContiguousStorageIfAvailable({ matchesWhole(bytes: $0) }) {
            return result
        }
        return matchesWhole(bytes: Array(utf8))
    }

    private func matchesWhole(bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where !allows(byte) { return false }
        return true
    }
}

extension FieldPattern {
    private static let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    private static let digits = "0123456789"

    /// `[a-zA-Z0-9\-\_]+`: ids, status, user id and address parts.
    static let identifier = FieldPattern(source: #"[a-zA-Z0-9\-\_]+"#, allowed: letters + digits + "-_")
    /// `[a-zA-Z0-9\-\_\.\@]+`: API 1's externalCustomerId.
    static let customerIdentifier = FieldPattern(source: #"[a-zA-Z0-9\-\_\.\@]+"#, allowed: letters + digits + "-_.@")
    /// `[0-9\-\.\(\)\+]+`: API 1's phoneNumber.
    static let phoneNumber = FieldPattern(source: #"[0-9\-\.\(\)\+]+"#, allowed: digits + "-.()+")
}
