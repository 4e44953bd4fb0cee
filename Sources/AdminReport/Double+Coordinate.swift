import Support

extension Double {
    /// At most two decimals, trailing zeros dropped (`120`, `37.5`): SVG geometry.
    var coordinate: String {
        var text = fixed(2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
