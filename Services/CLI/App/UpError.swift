/// Why `huddle up` cannot start; the text says what to change.
struct UpError: Error, CustomStringConvertible {
    let description: String
}
