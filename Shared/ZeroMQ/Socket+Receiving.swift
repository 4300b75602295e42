import CZeroMQ

extension Socket {
    /// Receives one frame and lends its bytes to `body` in place, without copying.
    ///
    /// The buffer is valid only inside `body`. `more` is `true` when further frames of the same
    /// message follow. Returns `nil` when `dontWait` is set and nothing is waiting.
    public func receiveFrame<Result>(
        dontWait: Bool = false,
        _ body: (_ bytes: UnsafeRawBufferPointer, _ more: Bool) throws -> Result
    ) throws -> Result? {
        guard try receiveIntoFrame(dontWait: dontWait) else { return nil }
        return try body(currentFrameBytes, zmq_msg_more(frame) != 0)
    }

    /// Receives one whole message (all its frames), enforcing ``receiveLimits``.
    ///
    /// Returns `nil` when `dontWait` is set and nothing is waiting. A message over the limits
    /// is drained completely — the socket stays in step — and reported by throwing
    /// ``ZeroMQError/Code/tooManyFrames`` or ``ZeroMQError/Code/messageTooLarge``; the next
    /// call receives the next message.
    public func receive(dontWait: Bool = false) throws(ZeroMQError) -> Message? {
        guard try receiveIntoFrame(dontWait: dontWait) else { return nil }
        var frames: [[UInt8]] = []
        var byteCount = 0
        while true {
            let bytes = currentFrameBytes
            let more = zmq_msg_more(frame) != 0
            if frames.count == receiveLimits.maxFrames || byteCount + bytes.count > receiveLimits.maxBytes {
                return try drainOverLimitMessage(frames: frames.count + 1, bytes: byteCount + bytes.count, more: more)
            }
            frames.append(Array(bytes))
            byteCount += bytes.count
            if !more { return Message(frames: frames) }
            // The rest of a message arrives with its first frame: this never waits.
            _ = try receiveIntoFrame(dontWait: false)
        }
    }

    private func drainOverLimitMessage(frames: Int, bytes: Int, more: Bool) throws(ZeroMQError) -> Message? {
        var frames = frames
        var bytes = bytes
        var more = more
        while more {
            _ = try receiveIntoFrame(dontWait: false)
            frames += 1
            bytes += zmq_msg_size(frame)
            more = zmq_msg_more(frame) != 0
        }
        let limits = receiveLimits
        if frames > limits.maxFrames {
            throw ZeroMQError(
                .tooManyFrames,
                "received a message of \(frames) frames; the limit is \(limits.maxFrames)",
                operation: "zmq_msg_recv"
            )
        }
        throw ZeroMQError(
            .messageTooLarge,
            "received a message of \(bytes) bytes; the limit is \(limits.maxBytes)",
            operation: "zmq_msg_recv"
        )
    }

    /// Receives the next frame into `frame`; `false` means "would block".
    @inline(__always)
    private func receiveIntoFrame(dontWait: Bool) throws(ZeroMQError) -> Bool {
        let handle = try open("zmq_msg_recv")
        let frame = self.frame
        return try retryingInterrupts("zmq_msg_recv") { zmq_msg_recv(frame, handle, dontWait ? ZMQ_DONTWAIT : 0) }
            != nil
    }

    private var currentFrameBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: zmq_msg_data(frame), count: zmq_msg_size(frame))
    }
}
