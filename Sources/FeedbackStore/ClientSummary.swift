/// One client's feedback, for an admin deciding whether to trust it (`feedback clients`).
public struct ClientSummary: Sendable, Equatable {
    /// The client's id: a keyed hash of its address.
    public var client: String
    /// Rows it stored, in any state.
    public var rows: Int
    /// Rows that count (accepted ones included), not rejected.
    public var counted: Int
    /// Rows held, waiting for an admin.
    public var held: Int
    /// Rows an admin rejected.
    public var rejected: Int
    /// Its newest row's date.
    public var latest: String

    public init(client: String, rows: Int, counted: Int, held: Int, rejected: Int, latest: String) {
        self.client = client
        self.rows = rows
        self.counted = counted
        self.held = held
        self.rejected = rejected
        self.latest = latest
    }
}
