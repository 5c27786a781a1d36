/// An error a command line reports on standard error and exits with (see ``runProgram(_:)``).
///
/// Semantics:
/// - ``usage(_:)``: the command line itself is wrong (an unknown option, a bad value); exit status 64,
///   `EX_USAGE` of sysexits.h.
/// - ``failed(_:)``: the command was understood but could not do its work; exit status 1, as for any
///   other error thrown out of a program's body.
/// - ``diverged(_:)``: training ran and wrote its report, but its loss or parameters stopped being
///   finite; exit status 3, so that a script or a cluster job tells a diverged run from a finished one
///   (0) and from one that could not run (1).
/// - ``interrupted(_:signal:)``: a signal (SIGINT, SIGTERM) paused training after its checkpoint was
///   saved; exit status 128 + the signal's number (130, 143), as for a process the signal ended.
public enum CLIError: Error, Equatable, CustomStringConvertible {
    case usage(String)
    case failed(String)
    case diverged(String)
    case interrupted(String, signal: Int32)

    public var description: String {
        switch self {
        case .usage(let text), .failed(let text), .diverged(let text), .interrupted(let text, _): text
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .failed: 1
        case .diverged: 3
        case .interrupted(_, let signal): 128 + signal
        }
    }
}
