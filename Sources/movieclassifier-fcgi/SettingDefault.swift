import FeedbackStore
import Glibc

/// The defaults of the options a deployment must set, read from the environment first.
///
/// Apache starts a CGI program, and mod_fcgid a FastCGI one, without any argument; the
/// environment is what an operator controls there (`SetEnv`, `FcgidInitialEnv`, a wrapper
/// script that exports them), as in a systemd unit (`Environment=`). An option given on the
/// command line still wins. Empty variables count as unset.
enum SettingDefault {
    static let modelVariable = "MOVIECLASSIFIER_MODEL"
    static let databaseVariable = "MOVIECLASSIFIER_DB"
    static let wwwVariable = "MOVIECLASSIFIER_WWW"
    static let workersVariable = "MOVIECLASSIFIER_WORKERS"
    static let budgetVariable = "MOVIECLASSIFIER_FEEDBACK_BUDGET"
    static let storedLimitVariable = "MOVIECLASSIFIER_FEEDBACK_LIMIT"
    static let windowVariable = "MOVIECLASSIFIER_FEEDBACK_WINDOW"
    static let agreementVariable = "MOVIECLASSIFIER_FEEDBACK_AGREEMENT"
    static let confidenceVariable = "MOVIECLASSIFIER_FEEDBACK_CONFIDENCE"
    static let operatorRoutesVariable = "MOVIECLASSIFIER_OPERATOR_ROUTES"
    static let keyVariable = "MOVIECLASSIFIER_KEY"

    static var model: String { value(of: modelVariable) ?? "model/classifier.mcm" }
    static var database: String { value(of: databaseVariable) ?? "data/feedback.sqlite" }
    static var www: String { value(of: wwwVariable) ?? "www" }
    /// The form-signing key's file as the environment sets it (nil: beside the database).
    static var key: String? { value(of: keyVariable) }

    /// A value that is not a number is kept out of the default and left for `validate()` to
    /// refuse: 0 workers names the variable in its message.
    static var workers: Int {
        guard let text = value(of: workersVariable) else { return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
        return Int(text) ?? 0
    }

    /// The trust rules' defaults, each from its variable where set (a value that is not a
    /// number is left for `validate()` to refuse, as for the workers).
    static var budget: Int { number(budgetVariable) ?? TrustPolicy().budget }
    static var storedLimit: Int { number(storedLimitVariable) ?? TrustPolicy().storedLimit }
    static var windowHours: Double { value(of: windowVariable).map { Double($0) ?? -1 } ?? Double(TrustPolicy().windowSeconds) / 3600 }
    static var agreement: Int { number(agreementVariable) ?? TrustPolicy().agreement }
    static var confidence: Double { value(of: confidenceVariable).map { Double($0) ?? -1 } ?? TrustPolicy().confidence }

    /// `on` or `off` as the environment sets it (nil unset; any other value is left for
    /// `validate()` to refuse).
    static var operatorRoutes: String? { value(of: operatorRoutesVariable) }

    /// The trust rules as the environment sets them: what a CGI process, which has no command
    /// line, stores feedback under.
    static var trust: TrustPolicy {
        TrustPolicy(
            budget: budget, storedLimit: storedLimit, windowSeconds: Int(windowHours * 3600), agreement: agreement, confidence: confidence)
    }

    private static func number(_ variable: String) -> Int? {
        value(of: variable).map { Int($0) ?? -1 }
    }

    private static func value(of variable: String) -> String? {
        guard let value = getenv(variable), value.pointee != 0 else { return nil }
        return String(cString: value)
    }
}
