/// An answer of the API that writes itself as JSON, its members in sorted order (so that two
/// workers answer byte for byte alike).
protocol JSONMessage {
    /// Throws for a number JSON cannot carry (NaN or an infinity: a model gone wrong).
    func write(to json: inout JSONWriter) throws(JSONWriter.NotANumber)
}
