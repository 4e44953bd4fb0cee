/// Everything a worker's scoreboard slot says, for the status report.
public struct WorkerDetails: Sendable, Equatable {
    public var reading: SlotReading
    /// Requests it has answered.
    public var served: Int64
    /// The id of the last feedback row its live model has applied.
    public var watermark: Int64
    /// What the worker wrote about a problem it has (a model file it could not load).
    public var note: String?

    public init(reading: SlotReading, served: Int64, watermark: Int64, note: String? = nil) {
        self.reading = reading
        self.served = served
        self.watermark = watermark
        self.note = note
    }
}
