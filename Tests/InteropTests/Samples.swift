import ZeroMQ

/// Messages the interop tests send, chosen to catch framing mistakes.
enum Samples {
    /// Multipart binary messages: every byte value, empty frames, a frame of 255 bytes (the
    /// largest ZMTP short frame) and one of 256 (the smallest long frame), a 4 KiB frame, many frames.
    static let binaryMessages: [Message] = [
        Message(frames: [Array(0...255), [], Array("seq-1".utf8)]),
        Message(frames: [[]]),
        Message(frames: [Array((0...254).reversed()), [0x00], [0xFF]]),
        Message(frames: [Array("h\u{e9}llo \u{2603} \u{1F44B}".utf8), Array(repeating: 0, count: 32)]),
        Message(frames: [(0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }]),
        Message(frames: (1...20).map { Array(repeating: UInt8($0), count: $0) }),
    ]
}
