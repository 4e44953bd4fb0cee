/// What `waitpid` (with `WUNTRACED | WCONTINUED`) reported about a child.
public enum WaitStatus: Equatable, Sendable {
    case ended(ProcessEnd)
    /// Stopped by a signal (SIGSTOP, SIGTSTP): alive, but it runs no code.
    case stopped
    /// Continued by SIGCONT.
    case continued

    /// Decodes the status as glibc's `WIFSTOPPED` and `WIFCONTINUED` do.
    public init(_ status: Int32) {
        if status & 0xFF == 0x7F {
            self = .stopped
        } else if status == 0xFFFF {
            self = .continued
        } else {
            self = .ended(ProcessEnd(waitStatus: status))
        }
    }
}
