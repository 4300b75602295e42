import CZeroMQ

extension Socket {
    /// Sends one frame from `bytes`, which libzmq copies before returning.
    ///
    /// - Parameters:
    ///   - more: more frames of the same message follow.
    ///   - dontWait: return `false` instead of blocking when the message cannot be queued now
    ///     (high-water mark reached, no peer for PUSH/DEALER, …).
    /// - Returns: `true` once queued; `false` only with `dontWait` when the send would block.
    @discardableResult
    public func send(
        _ bytes: UnsafeRawBufferPointer,
        more: Bool = false,
        dontWait: Bool = false
    ) throws(ZeroMQError)
        -> Bool
    {
        let handle = try open("zmq_send")
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        return try retryingInterrupts("zmq_send") { zmq_send(handle, bytes.baseAddress, bytes.count, flags) } != nil
    }

    /// Sends one frame from a byte array (or any contiguous bytes).
    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        // Explicit loop instead of `withUnsafeBytes(…) { try … }` keeps the typed throw.
        var result: Result<Bool, ZeroMQError> = .success(false)
        bytes.withUnsafeBytes { buffer in
            result = Result { () throws(ZeroMQError) in try send(buffer, more: more, dontWait: dontWait) }
        }
        return try result.get()
    }

    /// Sends one frame holding `string`'s UTF-8 bytes.
    @discardableResult
    public func send(_ string: String, more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        try send(Array(string.utf8), more: more, dontWait: dontWait)
    }

    /// Sends every frame of `message` as one atomic multipart message.
    ///
    /// With `dontWait`, returns `false` if the *first* frame would block; libzmq accepts the
    /// remaining frames of a message once its first frame was queued.
    @discardableResult
    public func send(_ message: Message, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        guard !message.frames.isEmpty else {
            throw ZeroMQError(.invalidArgument, "a message needs at least one frame", operation: "zmq_send")
        }
        let last = message.frames.count - 1
        for (index, frame) in message.frames.enumerated() {
            // Only the first frame may be refused: once it is queued, libzmq accepts the rest
            // of the message without waiting, so later frames are sent without `dontWait`.
            let queued = try send(frame, more: index < last, dontWait: dontWait && index == 0)
            if !queued { return false }
        }
        return true
    }
}
