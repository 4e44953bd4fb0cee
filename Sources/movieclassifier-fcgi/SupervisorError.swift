import Glibc
import PoolSupervision

/// Why the master gave up.
enum SupervisorError: Error, CustomStringConvertible {
    case gaveUp(String)
    case scoreboard(Scoreboard.Failure)

    var description: String {
        switch self {
        case .gaveUp(let message): message
        case .scoreboard(let failure): "\(failure)"
        }
    }
}
