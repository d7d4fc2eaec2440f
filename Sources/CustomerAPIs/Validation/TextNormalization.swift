/// The small text rules of docs/contract.md, "Text rules", done on UTF-8 bytes.
enum TextNormalization {
    /// Whether `byte` is ASCII white space (space, tab, line feed, vertical tab, form feed, carriage return).
    @inline(__always)
    static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// `text` without ASCII white space at either end; the same string when there is none.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if !isWhiteSpace(first) && !isWhiteSpace(last) { return text }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isWhiteSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isWhiteSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// `text` with every run of ASCII white space replaced by one `-` (`United States` → `United-States`).
    static func hyphenatingWhiteSpace(_ text: String) -> String {
        guard text.utf8.contains(where: isWhiteSpace) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var inRun = false
        for byte in text.utf8 {
            if isWhiteSpace(byte) {
                if !inRun { bytes.append(UInt8(ascii: "-")) }
                inRun = true
            } else {
                bytes.append(byte)
                inRun = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The length JSON Schema's `maxLength` counts: Unicode code points.
    static func characterCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }
}
