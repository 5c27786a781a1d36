import BackpropCommandLine
enum BenchCommand {
    static let help = ""
    static func run(_ arguments: [String]) throws {}
}
