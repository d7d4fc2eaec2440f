/// How much of what it accepted the simulator keeps in memory.
public enum SimulatorRecording: Sendable, Equatable {
    /// Every accepted request, and every API 1 event id for duplicate detection.
    case all
    /// The latest `capacity` accepted requests per API, and the latest `capacity` event ids
    /// for duplicate detection: memory stays flat in long runs.
    case latest(Int)
    /// No accepted request; the latest 100,000 event ids for duplicate detection.
    case none

    /// How many requests per API are kept, `nil` meaning all.
    var requestCapacity: Int? {
        switch self {
        case .all: nil
        case .latest(let capacity): max(0, capacity)
        case .none: 0
        }
    }

    /// How many API 1 event ids are remembered, `nil` meaning all.
    var eventIdCapacity: Int? {
        switch self {
        case .all: nil
        case .latest(let capacity): max(1, capacity)
        case .none: 100_000
        }
    }
}
