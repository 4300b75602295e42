/// The table `huddle up` prints once every service is healthy.
enum StatusTable {
    struct Row {
        let service: String
        let url: String
        let pid: Int32
    }

    /// Left-aligned columns: SERVICE, URL, PID.
    static func render(_ rows: [Row]) -> [String] {
        let header = ["SERVICE", "URL", "PID"]
        let cells = [header] + rows.map { [$0.service, $0.url, String($0.pid)] }
        let widths = (0..<header.count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text + String(repeating: " ", count: widths[column] - text.count)
            }
            .joined(separator: "  ")
        }
    }
}
