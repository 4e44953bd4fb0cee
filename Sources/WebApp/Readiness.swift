/// What `/readyz` tells a balancer and an operator.
public enum Readiness: Sendable, Equatable {
    /// Everything answers.
    case ready
    /// Pages and predictions are answered, from the model the worker holds, but something
    /// behind it fails (why, for the operator): the feedback log does not answer, so feedback
    /// is refused with a 503, or a new model cannot be loaded. A balancer keeps sending
    /// visitors (`200`): every host of a shared log is in the same state, and refusing them
    /// all would turn a degraded site into a dead one.
    case degraded(String)
    /// Nothing can be answered (why): a `503`, and a balancer sends visitors elsewhere.
    case unready(String)
}
