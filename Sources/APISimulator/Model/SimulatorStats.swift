/// How many requests each API answered, by HTTP status, plus dropped connections.
public struct SimulatorStats: Sendable, Equatable, Codable {
    /// Answers per API, then per HTTP status.
    public var statuses: [SimulatedAPI: [Int: Int]]
    /// Connections closed without an answer, per API.
    public var dropped: [SimulatedAPI: Int]

    /// Empty statistics.
    public init() {
        statuses = [:]
        dropped = [:]
    }

    /// How many requests of `api` were answered with `status`.
    public func count(_ api: SimulatedAPI, status: Int) -> Int {
        statuses[api]?[status] ?? 0
    }

    /// How many requests of `api` were answered, whatever the status.
    public func answered(_ api: SimulatedAPI) -> Int {
        statuses[api]?.values.reduce(0, +) ?? 0
    }

    /// How many connections of `api` requests were dropped.
    public func droppedCount(_ api: SimulatedAPI) -> Int {
        dropped[api] ?? 0
    }

    mutating func recordAnswer(_ api: SimulatedAPI, status: Int) {
        statuses[api, default: [:]][status, default: 0] += 1
    }

    mutating func recordDrop(_ api: SimulatedAPI) {
        dropped[api, default: 0] += 1
    }

    private enum CodingKeys: String, CodingKey {
        case statuses, dropped
    }

    /// Encodes as `{"statuses": {"customer-metadata": {"200": 3}}, "dropped": {"external-params": 1}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var statusesByName: [String: [String: Int]] = [:]
        for (api, counts) in statuses {
            statusesByName[api.rawValue] = Dictionary(uniqueKeysWithValues: counts.map { (String($0.key), $0.value) })
        }
        try container.encode(statusesByName, forKey: .statuses)
        try container.encode(Dictionary(uniqueKeysWithValues: dropped.map { ($0.key.rawValue, $0.value) }), forKey: .dropped)
    }

    /// Decodes the shape `encode(to:)` writes; unknown API names and non-numeric statuses are errors.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let statusesByName = try container.decode([String: [String: Int]].self, forKey: .statuses)
        let droppedByName = try container.decode([String: Int].self, forKey: .dropped)
        statuses = [:]
        dropped = [:]
        for (name, counts) in statusesByName {
            let api = try Self.api(named: name, in: container)
            for (statusText, count) in counts {
                guard let status = Int(statusText) else {
                    throw DecodingError.dataCorruptedError(forKey: .statuses, in: container, debugDescription: "status \(statusText)")
                }
                statuses[api, default: [:]][status] = count
            }
        }
        for (name, count) in droppedByName {
            dropped[try Self.api(named: name, in: container)] = count
        }
    }

    private static func api(named name: String, in container: KeyedDecodingContainer<CodingKeys>) throws -> SimulatedAPI {
        guard let api = SimulatedAPI(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .statuses, in: container, debugDescription: "unknown API \(name)")
        }
        return api
    }
}
