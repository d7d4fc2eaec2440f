extension KafkaRecord {
    /// The value of the last header named `name` as UTF-8 text; `nil` when there is none, it has
    /// no value, or the value is not UTF-8. (The last one wins, as when headers were appended.)
    public func headerText(_ name: String) -> String? {
        headers.last(where: { $0.name == name })?.value.flatMap { String(validating: $0, as: UTF8.self) }
    }
}
