import BackpropRegistry

/// The rates of steps `0..<steps`, for plots, CSV files and tests.
///
/// ```swift
/// sample(ConstantSchedule(rate: 0.01), steps: 3)   // [0.01, 0.01, 0.01]
/// ```
///
/// - Returns: an empty array when `steps ≤ 0`.
public func sample(_ schedule: any LearningRateSchedule, steps: Int) -> [Double] {
    (0..<Swift.max(steps, 0)).map { schedule.learningRate(at: $0) }
}

/// The rates of steps `0..<steps` as CSV text with the header `step,learning_rate`.
///
/// Each rate is written in Swift's shortest form that reads back to the same `Double` (`1e-05`,
/// `0.050005`), so a plot made from the file shows exactly the rates training uses. Every line, the
/// last included, ends with a newline. This is the output of `backprop schedule`.
///
/// A rate may therefore print long, as `0.00020998000000000002`: that is the exact `Double` the
/// schedule's arithmetic gives (not the decimal 0.00020998, which is a different `Double`), and
/// training uses it. The file is for reading back; a shorter spelling would make the plot disagree
/// with training, and rounding the rate itself would change every run's results. For people, tables
/// and chart labels show rates in scientific notation with four significant digits (`2.100e-04`).
///
/// ```
/// step,learning_rate
/// 0,1e-05
/// 1,0.0002098
/// ```
public func scheduleCSV(_ schedule: any LearningRateSchedule, steps: Int) -> String {
    var text = "step,learning_rate\n"
    for (step, rate) in sample(schedule, steps: steps).enumerated() {
        text += "\(step),\(rate)\n"
    }
    return text
}

/// Throws unless a table of `steps` rates (`sample` and `scheduleCSV`, about 40 bytes a step) fits the
/// machine's memory budget: `backprop schedule --steps 4e9` ends in a message with the figure, not in an
/// allocation failure.
///
/// - Parameters:
///   - steps: the rates the table would hold.
///   - path: the option or key that set `steps`, named in the message.
public func checkScheduleTableSize(steps: Int, path: String) throws {
    try MemoryBudget.machine.require(bytes: 40 * Double(steps), for: "a table of \(steps) rates", path: path)
}
