/// What one client stored, and what counted, in one budget window: the trust rules' memory,
/// copied by a migration so that a client's budget does not start again.
public struct BudgetRecord: Sendable, Equatable {
    public let client: String
    /// The window's number: seconds since the epoch over the window's length.
    public let window: Int64
    public let stored: Int
    public let counted: Int

    public init(client: String, window: Int64, stored: Int, counted: Int) {
        self.client = client
        self.window = window
        self.stored = stored
        self.counted = counted
    }
}
