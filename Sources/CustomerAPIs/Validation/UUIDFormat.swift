/// The UUID text form the contract asks for: 8-4-4-4-12 hex digits, either case, no version check.
enum UUIDFormat {
    /// Whether `text` is exactly 36 characters of 8-4-4-4-12 hex digits separated by `-`.
    static func matches(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return false }
        var position = 0
        for byte in utf8 {
            switch position {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return false }
            default:
                guard isHexDigit(byte) else { return false }
            }
            position += 1
        }
        return true
    }

    @inline(__always)
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }
}
