/// The character classes of the API documents' `pattern`s, each matched against the whole
/// value (`^[...]+$`), as the bridge's contract reads them.
enum CharacterClass: Sendable {
    /// `[a-zA-Z0-9\-\_]+`: ids, status, user id, address parts.
    case identifier
    /// `[a-zA-Z0-9\-\_\.\@]+`: the external customer id.
    case customerIdentifier
    /// `[0-9\-\.\(\)\+]+`: the phone number.
    case phoneNumber

    /// The pattern as the document writes it, for error messages.
    var pattern: String {
        switch self {
        case .identifier: #"[a-zA-Z0-9\-\_]+"#
        case .customerIdentifier: #"[a-zA-Z0-9\-\_\.\@]+"#
        case .phoneNumber: #"[0-9\-\.\(\)\+]+"#
        }
    }

    /// Whether the whole of `value` matches the pattern; an empty value never does.
    func fullyMatches(_ value: String) -> Bool {
        matches(value.utf8)
    }

    private func matches(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where !allows(byte) {
            return false
        }
        return true
    }

    private func allows(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            self != .phoneNumber
        case UInt8(ascii: "-"):
            true
        case UInt8(ascii: "."):
            self != .identifier
        case UInt8(ascii: "@"):
            self == .customerIdentifier
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"):
            self == .phoneNumber
        default:
            false
        }
    }
}
