/// A record's key or value (a slice of memory the consumer shares among records read together)
/// compared with the bytes a test expects, element by element.
public func == (slice: ArraySlice<UInt8>?, bytes: [UInt8]?) -> Bool {
    switch (slice, bytes) {
    case (nil, nil): true
    case let (slice?, bytes?): slice.elementsEqual(bytes)
    default: false
    }
}
