import Testing

@testable import Storage

/// Cutting rows into statements: every element once, in order, no piece over the size.
struct ChunkedTests {
    @Test("an array is cut into full pieces and a last, shorter one")
    func arrayPieces() {
        #expect(Self.pieces(Array(1...7), 3) == [[1, 2, 3], [4, 5, 6], [7]])
    }

    @Test("a slice keeps its own indices, and a range cuts into ranges")
    func sliceAndRange() {
        let slice = Array(0..<10)[4..<9]
        #expect(Self.pieces(slice, 2) == [[4, 5], [6, 7], [8]])
        #expect(Array((10..<15).chunked(into: 5)) == [10..<15])
    }

    @Test("nothing gives no pieces; a size past the count gives one")
    func edges() {
        #expect(Self.pieces([], 4).isEmpty)
        #expect(Self.pieces([1, 2], 100) == [[1, 2]])
    }

    static func pieces<Rows: RandomAccessCollection<Int>>(_ rows: Rows, _ size: Int) -> [[Int]]
    where Rows.Index == Int {
        rows.chunked(into: size).map { Array($0) }
    }
}
