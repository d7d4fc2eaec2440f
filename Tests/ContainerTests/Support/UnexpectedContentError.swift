/// A file of the repository, or a server's answer, is not shaped as the checks expect.
struct UnexpectedContentError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
