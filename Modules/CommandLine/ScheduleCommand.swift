import Backprop
import BackpropReports
import Foundation

/// `backprop schedule NAME [--PARAM VALUE …] [--steps N] [--plot FILE.svg]`.
enum ScheduleCommand {
    /// The command's interface, listing the schedules `registry` knows.
    static func interface(registry: Registry<any LearningRateSchedule>) -> CommandInterface {
        CommandInterface(
            name: "schedule",
            abstract: "print (and plot) the learning rate of a schedule, step by step",
            discussion: """
                Prints the learning rate of every update step as CSV ('step,learning_rate'), steps counted from 0 as
                PyTorch counts them: the first update uses step 0's rate.

                EXAMPLES:
                  backprop schedule triangular --eta-min 1e-5 --eta-max 0.1 --step-size 500 --steps 2000
                  backprop schedule exp_range --eta-min 1e-5 --eta-max 0.1 --step-size 500 --gamma 0.9994 --steps 3000 --plot lr.svg

                SCHEDULES AND THEIR PARAMETERS (a step count also in epochs: --step-size-epochs 2):
                \(parameterTable(registry))
                """,
            arguments: [
                .positional("schedule", value: "NAME", help: "the schedule: \(registry.names.joined(separator: ", "))"),
                .option("steps", value: "N", help: "update steps to print (default: the schedule's natural length, if any)"),
                .option("plot", value: "FILE.svg", help: "also draw the rates as an SVG chart"),
                .otherOptions(value: "--PARAM VALUE", help: """
                    a parameter of the schedule: its JSON name with '-' for '_' (--eta-max 0.1); a number,
                    true/false, or text
                    """),
            ])
    }

    /// Each schedule of `registry` with the parameters it declares, written as this command's options.
    static func parameterTable(_ registry: Registry<any LearningRateSchedule>) -> String {
        CommandInterface.table(registry.names.map { name in
            let keys = (registry.parameters(of: name) ?? []).filter { $0.name != "name" }
            return (name, keys.map { "--" + $0.name.replacingOccurrences(of: "_", with: "-") }.joined(separator: " "))
        })
    }

    /// The command with the schedules of `registries`, so that a user module can preview its own.
    static func subcommand(registries: PluginRegistries) -> Subcommand {
        let registry = registries.schedules
        return Subcommand(interface(registry: registry)) { try run($0, registry: registry) }
    }

    static func run(_ args: ParsedArguments, registry: Registry<any LearningRateSchedule>) throws {
        guard let name = try args.value("schedule", as: String.self) else {
            throw CLIError.usage("name a schedule: \(registry.names.joined(separator: ", ")). See '\(args.interface.name) --help'.")
        }
        let steps = try args.value("steps", as: Int.self, where: { $0 >= 1 }, must: "be a positive whole number")
        let plot = try args.value("plot", as: OutputFile.self)?.url
        var json = try parameters(args.otherOptions)
        // A schedule whose own parameter is `steps` (a ramp's length) gets this command's --steps too:
        // one option, since the rates to print and the ramp's length are the same number.
        if let steps, case .object(var members) = json, members["steps"] == nil,
           registry.parameters(of: name)?.contains(where: { $0.name == "steps" }) == true {
            members["steps"] = .number(Double(steps))
            json = .object(members)
        }
        let schedule: any LearningRateSchedule
        do {
            schedule = try registry.make(name: name, options: Options(json, path: name))
        } catch let error as ConfigurationError {
            throw usageError(error, schedule: name, interface: args.interface)
        }
        guard let steps = steps ?? schedule.naturalLength else {
            throw CLIError.usage("--steps is required for '\(name)', which has no natural length")
        }
        try checkScheduleTableSize(steps: steps, path: "--steps")
        print(scheduleCSV(schedule, steps: steps), terminator: "")
        if let plot {
            let rates = sample(schedule, steps: steps)
            var chart = LineChart(title: "\(schedule)", xLabel: "update step", yLabel: "learning rate")
            chart.add(LineChart.Series(name: name, x: rates.indices.map(Double.init), y: rates))
            try chart.write(to: plot)
            FileHandle.standardError.write(Foundation.Data("wrote \(plot.relativePath)\n".utf8))
        }
    }

    /// The schedule's JSON parameters from the command line's other options: `--eta-min 1e-5` is
    /// `"eta_min": 1e-5`. A value that reads as a number is a JSON number, `true`/`false` a boolean,
    /// anything else a string; the schedule then checks them as it checks a configuration file.
    ///
    /// - Throws: ``CLIError/usage(_:)`` for a parameter given twice (also as `--eta-min` and `--eta_min`).
    static func parameters(_ options: [ParsedArguments.OtherOption]) throws -> JSONValue {
        var parameters: [String: JSONValue] = [:]
        for option in options {
            let key = String(option.name.map { $0 == "-" ? "_" : $0 })
            guard parameters[key] == nil else { throw CLIError.usage("option '--\(option.name)' is given twice") }
            if let number = Double(option.value) {
                parameters[key] = .number(number)
            } else {
                parameters[key] = option.value == "true" ? .bool(true) : option.value == "false" ? .bool(false) : .string(option.value)
            }
        }
        return .object(parameters)
    }

    /// The schedule's complaint as a usage error in this command's terms: an unknown parameter is an
    /// unknown option, with the nearest of the schedule's parameters and this command's options suggested
    /// (`--step 2000`: did you mean `--steps`?); other errors name their key as an option.
    static func usageError(_ error: ConfigurationError, schedule: String, interface: CommandInterface) -> CLIError {
        guard case let .unknownKey(path, allowed) = error, path.hasPrefix(schedule + ".") else {
            return .usage(flagSpelling(of: error, schedule: schedule))
        }
        let typed = "--" + path.dropFirst(schedule.count + 1).replacingOccurrences(of: "_", with: "-")
        let parameters = allowed.filter { $0 != "name" }.sorted().map { "--" + $0.replacingOccurrences(of: "_", with: "-") }
        let commandOptions = interface.arguments.filter { $0.kind == .option }.map { "--" + $0.name }
        let hint = nearest(to: typed, in: parameters + commandOptions).map { " Did you mean '\($0)'?" } ?? ""
        return .usage("unknown option '\(typed)' for '\(interface.name) \(schedule)'.\(hint) "
            + "Its parameters: \(parameters.joined(separator: ", ")). See '\(interface.name) --help'.")
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
