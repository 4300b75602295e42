/// Parses a complete HTTP/1.1 response read up to connection close; used by ``HTTPGet``.
enum HTTPResponseParser {
    static func parse(_ raw: [UInt8]) throws(HTTPGet.Failure) -> HTTPGet.Response {
        guard let headEnd = firstIndex(of: [13, 10, 13, 10], in: raw[...]) else {
            throw HTTPGet.Failure(description: "response ended before its header was complete (\(raw.count) bytes)")
        }
        let head = String(decoding: raw[..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst()
        let statusParts = statusLine.split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw HTTPGet.Failure(description: "not an HTTP/1 status line: \(statusLine.debugDescription)")
        }
        let headers = lines.compactMap { line -> HTTPGet.Header? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPGet.Header(
                name: line[..<colon].lowercased(),
                value: line[line.index(after: colon)...].trimmingSpaces()
            )
        }
        var body = Array(raw[(headEnd + 4)...])
        if headers.contains(where: { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            body = try dechunk(body[...])
        } else if let length = headers.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }) {
            guard body.count >= length else {
                throw HTTPGet.Failure(description: "body has \(body.count) of its \(length) bytes")
            }
            body = Array(body.prefix(length))
        }
        return HTTPGet.Response(status: status, headers: headers, body: body)
    }

    /// Decodes a chunked body: `size-in-hex CRLF data CRLF … 0 CRLF CRLF`.
    private static func dechunk(_ encoded: ArraySlice<UInt8>) throws(HTTPGet.Failure) -> [UInt8] {
        var decoded: [UInt8] = []
        var rest = encoded
        while true {
            guard let lineEnd = firstIndex(of: [13, 10], in: rest) else {
                throw HTTPGet.Failure(description: "chunked body ended inside a chunk size line")
            }
            let sizeText = String(decoding: rest[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16), size >= 0 else {
                throw HTTPGet.Failure(description: "chunked body has an invalid chunk size")
            }
            let dataStart = lineEnd + 2
            if size == 0 { return decoded }
            guard rest.endIndex - dataStart >= size + 2 else {
                throw HTTPGet.Failure(description: "chunked body ended inside a chunk")
            }
            decoded += rest[dataStart..<(dataStart + size)]
            rest = rest[(dataStart + size + 2)...]
        }
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - pattern.count {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
