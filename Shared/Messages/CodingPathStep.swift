import Foundation

/// One step of a coding path: a field name or an array index.
///
/// The bus codec keeps paths as steps rather than `CodingKey` existentials (which may need a heap
/// box each) and turns them into keys only when someone asks, which is almost only on errors.
enum CodingPathStep: Sendable, Hashable {
    case key(String)
    case index(Int)

    /// The step as a `CodingKey`; indexes follow Foundation's "Index N" convention.
    var codingKey: any CodingKey {
        switch self {
        case .key(let name): PathKey(stringValue: name)
        case .index(let index): PathKey(intValue: index)
        }
    }

    /// `path` with this step in front: `key.path`, `key[3]`, `[3].path`.
    func prepended(to path: String) -> String {
        switch self {
        case .key(let name):
            if path.isEmpty { return name }
            return path.hasPrefix("[") ? name + path : name + "." + path
        case .index(let index):
            return path.isEmpty || path.hasPrefix("[") ? "[\(index)]" + path : "[\(index)]." + path
        }
    }

    /// Renders a coding path as `data.properties.plan` or `data.domains[2]`.
    static func render(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }
}

/// A coding key built from a path step; used wherever the codec reports a path.
struct PathKey: CodingKey, Sendable {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}
