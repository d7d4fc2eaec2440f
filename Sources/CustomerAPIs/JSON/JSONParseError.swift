/// Why a text is not acceptable JSON: what was wrong and at which byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in a few words (`unexpected character`, `duplicate member "id"`).
    public var reason: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    /// Creates an error for `reason` at byte `offset`.
    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The reason and the offset, for a rejection message (`unexpected character at byte 5`).
    public var description: String { "\(reason) at byte \(offset)" }
}
