import BackpropBenchmarks
import Foundation
import Testing

@Suite("Wide step benchmark")
struct WideStepBenchmarkTests {
    @Test("A step's arithmetic: forward and weight-gradient products of every layer, input gradients but the first's")
    func flops() {
        // 3072·1024 + 1024·512 + 512·10 = 3,675,136 weights; the later layers' 529,408 once more.
        #expect(WideStepBenchmark.flopsPerStep(batch: 100) == 2 * 100 * (2 * 3_675_136 + 529_408))
        #expect(WideStepBenchmark.flopsPerStep(batch: 1) * 100 == WideStepBenchmark.flopsPerStep(batch: 100))
    }

    @Test("A short run gives one positive timing per run and the figures from them")
    func shortRun() {
        let data = EpochBenchmark.syntheticData(count: 40)
        let result = WideStepBenchmark.run(data: data, steps: 2, runs: 3, batchSize: 20)
        #expect(result.samples.count == 3 && result.samples.allSatisfy { $0 > 0 })
        #expect(result.medianSecondsPerStep == result.samples.sorted()[1] / 2)
        #expect(abs(result.gflops - WideStepBenchmark.flopsPerStep(batch: 20) / result.medianSecondsPerStep / 1e9) < 1e-9)
    }
}
