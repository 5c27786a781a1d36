import BackpropRegistry

extension CommandInterface {
    /// Reads `words` (the command line after the command's name) against the declared arguments.
    ///
    /// Rules:
    /// - `--name VALUE` and `--name=VALUE` both give an option its value. A value may start with a single
    ///   dash (`--gamma -1`), not with two: `--eta-min --steps 9` is "--eta-min needs a value".
    /// - `--` ends the options: every later word is positional, even `--help`.
    /// - A word starting with `-` that is not a number is an option; only `-h` is a short one.
    /// - An option (not a repeated one) given twice, a value given to a flag, an undeclared option (unless
    ///   ``CommandArgument/Kind/otherOptions`` is declared), a positional too many and a missing required
    ///   argument are usage errors naming the option and the command.
    ///
    /// - Throws: ``CleanExit`` for `--help` (and `--version`), ``CLIError/usage(_:)`` otherwise.
    public func parse(_ words: [String]) throws -> ParsedArguments {
        var parsed = ParsedArguments(interface: self)
        let positionals = arguments.filter(\.isPositional)
        let acceptsOthers = arguments.contains { $0.kind == .otherOptions }
        var positionalCount = 0
        var optionsEnded = false
        var index = 0

        /// The value of `--name`: after `=`, else the next word unless that is an option or `--`.
        func value(of name: String, inline: String?) throws -> String {
            if let inline { return inline }
            guard index < words.count, !words[index].hasPrefix("--") else {
                throw usageError("option '--\(name)' needs a value.")
            }
            index += 1
            return words[index - 1]
        }

        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || !word.hasPrefix("-") || word == "-" || Double(word) != nil {
                guard positionalCount < positionals.count else {
                    throw usageError("unexpected argument '\(word)' for '\(name)'.")
                }
                let positional = positionals[positionalCount]
                if positional.kind == .repeatedPositional {
                    parsed.given[positional.name, default: []].append(word)
                } else {
                    parsed.given[positional.name] = [word]
                    positionalCount += 1
                }
                continue
            }
            if word == "--" { optionsEnded = true; continue }
            if word == "--help" || word == "-h" { throw CleanExit.help(help) }
            if word == "--version", let version { throw CleanExit.version(version) }

            var optionName = String(word.drop { $0 == "-" })
            var inline: String?
            if let equals = optionName.firstIndex(of: "=") {
                inline = String(optionName[optionName.index(after: equals)...])
                optionName = String(optionName[..<equals])
            }
            let declared = word.hasPrefix("--") ? argument(named: optionName) : nil
            switch declared?.kind {
            case .flag?:
                guard inline == nil else { throw usageError("'--\(optionName)' is a flag and takes no value.") }
                parsed.flags.insert(optionName)
            case .option?:
                guard parsed.given[optionName] == nil else { throw usageError("option '--\(optionName)' is given twice.") }
                parsed.given[optionName] = [try value(of: optionName, inline: inline)]
            case .repeatedOption?:
                parsed.given[optionName, default: []].append(try value(of: optionName, inline: inline))
            case .positional?, .repeatedPositional?, .otherOptions?, nil:
                guard acceptsOthers, word.hasPrefix("--"), !optionName.isEmpty, declared == nil else {
                    let known = arguments.filter { !$0.isPositional && $0.kind != .otherOptions }.map(\.name)
                        + ["help"] + (version == nil ? [] : ["version"])
                    let hint = nearest(to: optionName, in: known).map { " Did you mean '--\($0)'?" } ?? ""
                    throw usageError("unknown option '\(word.split(separator: "=").first ?? "")' for '\(name)'.\(hint)")
                }
                parsed.otherOptions.append(.init(name: optionName, value: try value(of: optionName, inline: inline)))
            }
        }

        for argument in arguments where argument.isRequired && parsed.given[argument.name] == nil {
            throw usageError("missing \(argument.isPositional ? "argument" : "option") '\(argument.spelling)'.")
        }
        return parsed
    }

    /// A usage error ending with where to read the command's help.
    func usageError(_ message: String) -> CLIError {
        .usage("\(message) See '\(name) --help'.")
    }
}
