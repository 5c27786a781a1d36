import Foundation

/// Runs `attempt` until it returns true, for at most `seconds`, pausing 2 ms between tries; whether it
/// did. For tests of what the product helper thread does, since tests running at the same time may
/// hold that thread for a while.
public func retrying(for seconds: Double = 20, _ attempt: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if attempt() { return true }
        Thread.sleep(forTimeInterval: 0.002)
    } while Date() < deadline
    return false
}
