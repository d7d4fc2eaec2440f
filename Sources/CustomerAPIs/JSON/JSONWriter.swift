/// Writes compact JSON text into a growing `[UInt8]`, placing commas and colons itself.
///
/// Call the methods in document order: `beginObject()`, then `key(_:)` and a value for each
/// member, then `endObject()`; arrays alike. Strings are escaped as RFC 8259 requires, so any
/// `String` can be written safely.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("status"); writer.string("rejected")
/// writer.key("attempts"); writer.integer(0)
/// writer.endObject()
/// // writer.bytes == Array(#"{"status":"rejected","attempts":0}"#.utf8)
/// ```
/// - Important: The writer does not check that calls are balanced or that every key gets a
///   value; the caller writes a well-formed sequence.
public struct JSONWriter: Sendable {
    /// The JSON text written so far, UTF-8.
    public private(set) var bytes: [UInt8]
    /// Whether the next key or value in the current container follows another one.
    private var needsComma = false
    /// Whether a key was just written, so the next value follows its colon.
    private var afterKey = false

    /// Creates an empty writer with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text written so far, as a `String`.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Containers

    /// Opens an object.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost open object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost open array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name inside an object; the next value written is that member's value.
    public mutating func key(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
        needsComma = false
    }

    // MARK: Scalars

    /// Writes a string value, escaped.
    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes a number given as JSON number text (`7`, `-3.5e2`), unchanged.
    ///
    /// Text that is not a JSON number is written as a string instead, so the output stays valid JSON.
    public mutating func number(_ text: String) {
        guard JSONWriter.isNumberText(text) else {
            string(text)
            return
        }
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// Writes an integer.
    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Self.trueText : Self.falseText)
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: Self.nullText)
        needsComma = true
    }

    /// Writes a string, or `null` when `value` is `nil`.
    public mutating func string(orNull value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Writes any ``JSONValue``, objects keeping their member order and numbers their text.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text): number(text)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.name)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// `text` as one JSON string literal, quotes included, escaped as ``string(_:)`` escapes it:
    /// quotation mark, reverse solidus and the control characters U+0000–U+001F (RFC 8259,
    /// section 7); everything else stays as it is.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter(reservingCapacity: text.utf8.count + 2)
        writer.string(text)
        return writer.text
    }

    // MARK: Helpers

    private static let trueText: [UInt8] = Array("true".utf8)
    private static let falseText: [UInt8] = Array("false".utf8)
    private static let nullText: [UInt8] = Array("null".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes the comma before a value unless it is the first in its container or follows a key.
    private mutating func separate() {
        if afterKey {
            afterKey = false
        } else if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                }
                appendEscape(byte)
                runStart = index + 1
            }
            if runStart < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Whether `text` follows RFC 8259's number grammar.
    static func isNumberText(_ text: String) -> Bool {
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        func digit(_ i: String.UTF8View.Index) -> Bool {
            i < utf8.endIndex && utf8[i] &- UInt8(ascii: "0") < 10
        }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "-") { index = utf8.index(after: index) }
        guard index < utf8.endIndex else { return false }
        if utf8[index] == UInt8(ascii: "0") {
            index = utf8.index(after: index)
        } else if digit(index) {
            while digit(index) { index = utf8.index(after: index) }
        } else {
            return false
        }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: ".") {
            index = utf8.index(after: index)
            guard digit(index) else { return false }
            while digit(index) { index = utf8.index(after: index) }
        }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
            index = utf8.index(after: index)
            if index < utf8.endIndex, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
                index = utf8.index(after: index)
            }
            guard digit(index) else { return false }
            while digit(index) { index = utf8.index(after: index) }
        }
        return index == utf8.endIndex
    }
}
