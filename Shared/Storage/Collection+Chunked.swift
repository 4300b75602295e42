extension RandomAccessCollection where Index == Int {
    /// The collection cut into consecutive pieces of at most `size` elements, made as they are
    /// iterated: rows split into statements that stay under the engines' limits on bound values.
    package func chunked(into size: Int) -> LazyMapSequence<StrideTo<Int>, SubSequence> {
        precondition(size > 0, "a chunk holds at least one element")
        return stride(from: startIndex, to: endIndex, by: size).lazy.map { self[$0..<Swift.min($0 + size, endIndex)] }
    }
}
