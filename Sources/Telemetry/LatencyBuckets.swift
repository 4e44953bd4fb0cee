/// The request duration histogram's upper bounds, in seconds: from half a millisecond (a form
/// served from memory) to ten seconds (a request near a timeout), about three to a decade.
public enum LatencyBuckets {
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let nanosecondBounds: [Int64] = bounds.map { Int64(($0 * 1e9).rounded()) }

    /// The bucket of a request that took `nanoseconds`: the first bound it does not exceed,
    /// or `bounds.count` (`+Inf`) past the last.
    public static func index(ofNanoseconds nanoseconds: Int64) -> Int {
        nanosecondBounds.firstIndex { nanoseconds <= $0 } ?? bounds.count
    }

    /// Buckets in all, `+Inf` included.
    public static var count: Int { bounds.count + 1 }
}
