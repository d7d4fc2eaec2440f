/// A seeded SplitMix64 generator, so that jitter and shuffles repeat from run to run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next value of the SplitMix64 sequence.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A generator that always returns the largest value, so a random pick in a range takes its
/// top (jitter picks the ceiling, backoffs are exact).
public struct MaximumGenerator: RandomNumberGenerator, Sendable {
    /// The generator; it has no state.
    public init() {}

    /// Always `UInt64.max`.
    public mutating func next() -> UInt64 { .max }
}
