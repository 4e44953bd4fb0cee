extension Double {
    /// The value with `digits` decimals, without Foundation's formatter: the admin tool's
    /// figures and the admin page's numbers.
    package func fixed(_ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(self) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return (self < 0 && scaled != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + padded : "")
    }
}
