import Synchronization

/// UUID-shaped ids for answers, made from a random per-simulator prefix and a counter:
/// unique within a run, cheaper than `UUID()` per answer, and never repeated across
/// simulators in practice.
final class AnswerIDGenerator: Sendable {
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)

    init() {
        prefix = UInt64.random(in: .min ... .max)
    }

    /// The next id, e.g. `5484e507-feaf-11ec-0000-000000000001`.
    func next() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            func write(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[position] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            write(prefix >> 32, nibbles: 8)
            dash()
            write(prefix >> 16, nibbles: 4)
            dash()
            write(prefix, nibbles: 4)
            dash()
            write(sequence >> 48, nibbles: 4)
            dash()
            write(sequence, nibbles: 12)
            return position
        }
    }
}
