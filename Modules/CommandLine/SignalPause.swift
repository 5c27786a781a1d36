import Dispatch
import Foundation
import Synchronization

/// SIGINT (Ctrl-C) and SIGTERM (`kill`, a cluster's time limit or preemption) turned into a request to
/// pause, while a run trains: the run saves its checkpoint at the next step boundary and the program
/// exits with 128 + the signal's number (130, 143), as a shell expects of a process the signal ended.
///
/// A second signal while the first is being honoured ends the process at once, with the signal's
/// default action, as a second Ctrl-C does in most tools.
///
/// Semantics: `received` is nil until a signal arrives, then the first signal's number, for good.
final class SignalPause: Sendable {
    private let first = Atomic<Int32>(0)

    /// The first signal caught, or nil.
    var received: Int32? {
        let number = first.load(ordering: .acquiring)
        return number == 0 ? nil : number
    }

    private init() {}

    /// Runs `body` with SIGINT and SIGTERM caught into a `SignalPause`; their default actions are back
    /// in place when it returns or throws.
    static func catching<T>(_ body: (SignalPause) throws -> T) rethrows -> T {
        let pause = SignalPause()
        let sources = [SIGINT, SIGTERM].map { number in
            // Ignored by the process, so that only the dispatch source sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let (stored, _) = pause.first.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing)
                if !stored {
                    signal(number, SIG_DFL)
                    raise(number)
                }
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try body(pause)
    }

    /// The signal's name, for messages.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
