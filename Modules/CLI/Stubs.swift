import BackpropCommandLine
enum SearchCommand {
    static let help = ""
    static func run(_ arguments: [String]) throws {}
}
enum BenchCommand {
    static let help = ""
    static func run(_ arguments: [String]) throws {}
}
