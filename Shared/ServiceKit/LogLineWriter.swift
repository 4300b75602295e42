import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where log handlers put their finished lines.
///
/// Each call writes one complete line; calls from different threads never interleave within a line.
package struct LogLineWriter: Sendable {
    /// Writes one line; the text has no trailing newline.
    package let writeLine: @Sendable (String) -> Void

    /// Creates a writer from a closure, e.g. one that collects lines in a test.
    package init(writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    /// Writes to the process's standard error, one `write(2)` sequence per line under a lock.
    package static let standardError = LogLineWriter { line in writeStandardLine(line, to: 2) }

    /// Writes to the process's standard output, unbuffered, one line at a time under the same lock.
    package static let standardOutput = LogLineWriter { line in writeStandardLine(line, to: 1) }
}

/// Writes `line` and a newline to `descriptor` while holding the lock shared by all standard writers.
private func writeStandardLine(_ line: String, to descriptor: Int32) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    standardStreamsLock.withLock { _ in writeAll(bytes, to: descriptor) }
}

/// Serialises writers so that lines from concurrent loggers never interleave, even when both streams share a
/// terminal.
private let standardStreamsLock = Mutex(())

/// Writes every byte unless the descriptor fails; a log line that cannot be written is dropped, never fatal.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
