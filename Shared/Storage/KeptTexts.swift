import Synchronization

/// SQL texts built once per shape and kept, for statements a process runs over and over with the
/// same few shapes: building the text anew each time measured up to 8 % of a publisher's CPU.
///
/// The first `capacity` shapes a process meets are kept; others are built each time, so a caller
/// that makes shapes without end cannot grow memory.
final class KeptTexts<Shape: Hashable & Sendable>: Sendable {
    private let texts = Mutex<[Shape: String]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The text of `shape`, built by `build` the first time.
    func text(for shape: Shape, build: (Shape) -> String) -> String {
        if let text = texts.withLock({ $0[shape] }) { return text }
        let text = build(shape)
        texts.withLock { if $0.count < capacity { $0[shape] = text } }
        return text
    }
}
