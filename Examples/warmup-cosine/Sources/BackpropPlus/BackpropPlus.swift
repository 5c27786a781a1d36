import Backprop
import BackpropCommandLine
import WarmupCosine

/// `backprop-plus`: the `backprop` command line, with `"warmup_cosine"` among its schedules.
///
///     backprop-plus train --config configs/warmup-cosine.json --data DIR
///     backprop-plus schedule warmup_cosine --eta-max 0.1 --warmup-steps 100 --total-steps 1000 --steps 1200 --plot lr.svg
@main
enum BackpropPlus {
    static func main() {
        var registries = PluginRegistries.standard
        registerWarmupCosine(in: &registries.schedules)
        BackpropTool(registries: registries).main()
    }
}
