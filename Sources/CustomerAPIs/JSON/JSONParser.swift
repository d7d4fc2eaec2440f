/// A strict RFC 8259 JSON parser working directly on UTF-8 bytes.
///
/// It keeps number text as written and object members in order, rejects duplicate member
/// names, invalid UTF-8, lone surrogate escapes and nesting deeper than `maxDepth`, and never
/// traps on bad input: every problem is a thrown ``JSONParseError``. A leading UTF-8 byte
/// order mark is skipped.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted by default.
    public static let defaultMaxDepth = 64

    /// The deepest nesting of arrays and objects accepted; the outermost container is depth 1.
    public var maxDepth: Int

    /// Creates a parser accepting at most `maxDepth` nested arrays and objects.
    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON text: a single value with optional white space around it.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            parseResult(buffer)
        }
        return try result.get()
    }

    /// Parses one JSON text held in a slice of a larger array.
    public func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            parseResult(buffer)
        }
        return try result.get()
    }

    /// Parses one JSON text given as a `String`.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { buffer in
            parseResult(buffer)
        }
        return try result.get()
    }

    /// Parses one JSON text held in `buffer`, which must stay valid for the call.
    func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var cursor = JSONCursor(bytes: buffer, maxDepth: maxDepth)
        do {
            return .success(try cursor.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}
