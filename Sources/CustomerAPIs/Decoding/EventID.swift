import Crypto

/// The rules of docs/contract.md, "Event id": ids that fit API 1's `eventId` pattern, derived
/// and hashed deterministically, so a retried or replayed event keeps its id.
public enum EventID {
    /// The most characters API 1 takes in `eventId`.
    public static let maxLength = 256
    /// The prefix of every id the bridge makes itself.
    public static let generatedPrefix = "kab-"

    /// The id of an event that names none: `kab-` and the first 32 lowercase hex digits of the
    /// SHA-256 of `topic/partition/offset` (for example of `customer-events/0/42`).
    public static func derived(topic: String, partition: Int32, offset: Int64) -> String {
        hashed("\(topic)/\(partition)/\(offset)")
    }

    /// `kab-` and the first 32 lowercase hex digits of the SHA-256 of `text`'s UTF-8 bytes.
    public static func hashed(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        var bytes: [UInt8] = Array(generatedPrefix.utf8)
        bytes.reserveCapacity(generatedPrefix.utf8.count + 32)
        for byte in digest.prefix(16) {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `id` fits API 1's `eventId`: `[a-zA-Z0-9\-\_]+` in full, at most 256 characters.
    public static func fitsAPIPattern(_ id: String) -> Bool {
        id.utf8.count <= maxLength && FieldPattern.identifier.matchesWhole(id)
    }

    /// `id` itself when it fits API 1's pattern, else its hash: how a CloudEvents id or an
    /// `event-id` header becomes an event id.
    public static func normalized(_ id: String) -> String {
        fitsAPIPattern(id) ? id : hashed(id)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
