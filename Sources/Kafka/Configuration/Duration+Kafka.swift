extension Duration {
    /// Whole milliseconds, rounded up so that a short positive duration never becomes 0,
    /// clamped to `Int32` as librdkafka's timeouts are C ints.
    var kafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        if millis.overflow { return seconds < 0 ? 0 : Int32.max }
        let total = millis.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}
