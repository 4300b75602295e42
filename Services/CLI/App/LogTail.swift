/// The last lines a child wrote, kept so that a failure report can show them.
struct LogTail: Sendable {
    /// How many lines are kept.
    let capacity: Int
    private(set) var lines: [String] = []

    init(capacity: Int = 20) {
        self.capacity = capacity
    }

    mutating func append(_ line: String) {
        lines.append(line)
        if lines.count > capacity {
            lines.removeFirst(lines.count - capacity)
        }
    }
}
