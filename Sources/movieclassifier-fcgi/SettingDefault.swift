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

    static var model: String { value(of: modelVariable) ?? "model/classifier.mcm" }
    static var database: String { value(of: databaseVariable) ?? "data/feedback.sqlite" }
    static var www: String { value(of: wwwVariable) ?? "www" }

    /// A value that is not a number is kept out of the default and left for `validate()` to
    /// refuse: 0 workers names the variable in its message.
    static var workers: Int {
        guard let text = value(of: workersVariable) else { return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
        return Int(text) ?? 0
    }

    private static func value(of variable: String) -> String? {
        guard let value = getenv(variable), value.pointee != 0 else { return nil }
        return String(cString: value)
    }
}
