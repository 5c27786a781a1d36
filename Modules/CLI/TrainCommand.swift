enum TrainCommand {
    static let help = "USAGE: backprop train --config FILE [--data DIR] [--out DIR] [--seed N]"
    static func run(_ arguments: [String]) throws {}
}
enum SearchCommand {
    static let help = ""
    static func run(_ arguments: [String]) throws {}
}
enum BenchCommand {
    static let help = ""
    static func run(_ arguments: [String]) throws {}
}
