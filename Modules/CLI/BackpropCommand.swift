import Backprop
import BackpropCommandLine

/// The `backprop` executable: the command line of `BackpropTool` with the built-in plug-ins.
///
/// Its commands live in the `BackpropCommandLine` library, so that a package with plug-ins of its own
/// builds the same command line around its registries (see `BackpropTool`).
@main
enum BackpropCommand {
    static func main() {
        BackpropTool(registries: .standard).main()
    }
}
