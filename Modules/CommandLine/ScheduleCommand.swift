import Backprop
import BackpropReports
import Foundation

/// `backprop schedule NAME [--PARAM VALUE …] --steps N [--plot FILE.svg]`.
enum ScheduleCommand {
    static func help(_ registries: PluginRegistries) -> String {
    """
    USAGE: backprop schedule NAME [--PARAM VALUE ...] --steps N [--plot FILE.svg]

    Prints the learning rate of every update step as CSV ('step,learning_rate'), steps counted from 0 as
    PyTorch counts them: the first update uses step 0's rate. Parameters are the schedule's JSON names
    with '-' for '_'.

    EXAMPLES:
      backprop schedule triangular --eta-min 1e-5 --eta-max 0.1 --step-size 500 --steps 2000
      backprop schedule exp_range --eta-min 1e-5 --eta-max 0.1 --step-size 500 --gamma 0.9994 --steps 3000 --plot lr.svg

    SCHEDULES: \(registries.schedules.names.joined(separator: ", "))
    """
    }

    static func run(_ arguments: [String], registries: PluginRegistries) throws {
        try run(arguments, registry: registries.schedules)
    }

    /// Runs the command with a given registry, so that a user module can preview its own schedules.
    static func run(_ arguments: [String], registry: Registry<any LearningRateSchedule>) throws {
        var rest: [String] = []
        var steps: Int?
        var plot: String?
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--steps" || word == "--plot" {
                guard index + 1 < arguments.count else { throw CLIError.usage("option \(word) needs a value") }
                let value = arguments[index + 1]
                if word == "--steps" {
                    guard let n = Int(value), n >= 1 else { throw CLIError.usage("--steps must be a positive whole number, got '\(value)'") }
                    steps = n
                } else {
                    plot = value
                }
                index += 2
            } else {
                rest.append(word)
                index += 1
            }
        }
        let (name, parameters) = try scheduleOptions(fromArguments: rest)
        guard let name else { throw CLIError.usage("name a schedule: \(registry.names.joined(separator: ", "))") }
        let schedule: any LearningRateSchedule
        do {
            schedule = try registry.make(name: name, options: Options(parameters, path: name))
        } catch let error as ConfigurationError {
            throw CLIError.usage(flagSpelling(of: error, schedule: name))
        }
        guard let steps = steps ?? schedule.naturalLength else {
            throw CLIError.usage("--steps is required for '\(name)', which has no natural length")
        }
        print(scheduleCSV(schedule, steps: steps), terminator: "")
        if let plot {
            let rates = sample(schedule, steps: steps)
            var chart = LineChart(title: "\(schedule)", xLabel: "update step", yLabel: "learning rate")
            chart.add(LineChart.Series(name: name, x: rates.indices.map(Double.init), y: rates))
            try chart.write(to: URL(fileURLWithPath: plot))
            FileHandle.standardError.write(Foundation.Data("wrote \(plot)\n".utf8))
        }
    }

    /// The error with the schedule's keys written as this command's options: 'triangular.eta_max'
    /// becomes '--eta-max', since that is what the user typed (or must type).
    static func flagSpelling(of error: ConfigurationError, schedule: String) -> String {
        var text = error.description
        while let range = text.range(of: "'\(schedule).") {
            guard let end = text[range.upperBound...].firstIndex(of: "'") else { break }
            let key = text[range.upperBound..<end].replacingOccurrences(of: "_", with: "-")
            text.replaceSubrange(range.lowerBound...end, with: "'--\(key)'")
        }
        return text
    }
}
