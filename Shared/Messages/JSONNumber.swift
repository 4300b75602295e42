/// Converts checked JSON number text to `Double`.
enum JSONNumber {
    /// Exact powers of ten: every one up to 10^22 is representable in a `Double`.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    /// The correctly rounded value of number text the parser has checked.
    ///
    /// Most numbers on the bus have at most 15 significant digits and a small exponent; those are
    /// computed exactly with one multiplication or division of exact values (Clinger's fast
    /// path), and everything else goes to the standard library's correctly rounded parser.
    static func double(_ text: UnsafePointer<UInt8>, count: Int) -> Double {
        var cursor = text
        let end = text + count
        let negative = cursor.pointee == UInt8(ascii: "-")
        if negative { cursor += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var exact = true
        func takeDigit(_ digit: UInt64, inFraction: Bool) {
            if mantissa == 0 && digit == 0 {
                if inFraction { exponent -= 1 }
                return
            }
            guard significantDigits < 15 else {
                exact = false
                return
            }
            mantissa = mantissa * 10 + digit
            significantDigits += 1
            if inFraction { exponent -= 1 }
        }
        while cursor < end, cursor.pointee &- UInt8(ascii: "0") < 10 {
            takeDigit(UInt64(cursor.pointee &- UInt8(ascii: "0")), inFraction: false)
            cursor += 1
        }
        if cursor < end, cursor.pointee == UInt8(ascii: ".") {
            cursor += 1
            while cursor < end, cursor.pointee &- UInt8(ascii: "0") < 10 {
                takeDigit(UInt64(cursor.pointee &- UInt8(ascii: "0")), inFraction: true)
                cursor += 1
            }
        }
        if cursor < end {
            // An exponent: 'e' or 'E', an optional sign, digits.
            cursor += 1
            var exponentNegative = false
            if cursor.pointee == UInt8(ascii: "-") || cursor.pointee == UInt8(ascii: "+") {
                exponentNegative = cursor.pointee == UInt8(ascii: "-")
                cursor += 1
            }
            var written = 0
            while cursor < end {
                written = min(written * 10 + Int(cursor.pointee &- UInt8(ascii: "0")), 100_000)
                cursor += 1
            }
            exponent += exponentNegative ? -written : written
        }
        if exact, mantissa == 0 { return negative ? -0.0 : 0.0 }
        if exact, (-22...22).contains(exponent) {
            let value = Double(mantissa)
            let scaled = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -scaled : scaled
        }
        let slow = Double(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        return slow ?? .nan
    }
}
