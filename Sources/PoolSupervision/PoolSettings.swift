/// How the pool runs: the values of the command line's pool options.
public struct PoolSettings: Sendable, Equatable {
    /// Workers the pool keeps running.
    public var workers: Int
    /// A worker exits after serving this many requests and is replaced (nil: never).
    public var maxRequests: Int?
    /// A request running longer than this (nanoseconds), or a worker stopped (SIGSTOP) for
    /// longer, has its worker killed and replaced (nil: never).
    public var requestTimeout: Int64?
    /// How long the workers of a graceful stop, and the old workers of a reload, may take to
    /// finish their requests before they are killed (nanoseconds).
    public var stopTimeout: Int64

    public init(workers: Int, maxRequests: Int? = nil, requestTimeout: Int64? = nil, stopTimeout: Int64) {
        self.workers = workers
        self.maxRequests = maxRequests
        self.requestTimeout = requestTimeout
        self.stopTimeout = stopTimeout
    }

    /// Failed starts in a row after which a pool none of whose workers has ever become ready
    /// concludes that none will (a corrupt model file, an unwritable database folder), and a
    /// reload whose new workers fail so is abandoned.
    public var startFailureLimit: Int { max(workers, 3) }
}
