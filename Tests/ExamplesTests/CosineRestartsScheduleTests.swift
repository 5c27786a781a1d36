import Backprop
import Foundation
import Testing

@testable import CustomSchedule

/// PyTorch's `CosineAnnealingWarmRestarts.step(epoch)` followed by `get_lr()`, transcribed line by line.
///
/// The period is found in closed form with a logarithm, as PyTorch does, then corrected in integers:
/// the logarithm can land just below a whole number exactly at a restart (T_0 = 7, T_mult = 3 at step
/// 847 = 7·(3⁵ − 1)/2 gives n = 4), which would put the restart step at the end of the period before.
func pytorchSGDR(_ epoch: Int, t0: Int, tMult: Int, etaMin: Double, etaMax: Double) -> Double {
    var tCur = Double(epoch), tI = Double(t0)
    if epoch >= t0 {
        if tMult == 1 {
            tCur = Double(epoch % t0)
        } else {
            var n = Int(log(Double(epoch) / Double(t0) * Double(tMult - 1) + 1) / log(Double(tMult)))
            func periodStart(_ k: Int) -> Int { t0 * (Int(pow(Double(tMult), Double(k))) - 1) / (tMult - 1) }
            while periodStart(n + 1) <= epoch { n += 1 }
            tCur = Double(epoch) - Double(t0) * (pow(Double(tMult), Double(n)) - 1) / Double(tMult - 1)
            tI = Double(t0) * pow(Double(tMult), Double(n))
        }
    }
    return etaMin + (etaMax - etaMin) * (1 + cos(Double.pi * tCur / tI)) / 2
}

@Suite struct CosineRestartsScheduleTests {
    @Test(arguments: [(10, 1), (10, 2), (10, 3), (7, 1), (7, 2), (7, 3)])
    func matchesPyTorchAtEveryStep(t0: Int, tMult: Int) {
        let schedule = CosineRestartsSchedule(minRate: 1e-5, maxRate: 0.1, period: t0, periodFactor: tMult)
        // 3000 steps span 300 restarts of T_0 = 10 with T_mult = 1, and 7 periods of 7·3^k.
        for step in 0..<3000 {
            let reference = pytorchSGDR(step, t0: t0, tMult: tMult, etaMin: 1e-5, etaMax: 0.1)
            #expect(abs(schedule.learningRate(at: step) - reference) < 1e-12, "step \(step)")
        }
    }

    @Test func restartsAtEta_maxAndReachesEta_minAtTheEndOfEachPeriod() {
        let schedule = CosineRestartsSchedule(minRate: 0.001, maxRate: 0.1, period: 10, periodFactor: 2)
        for start in [0, 10, 30, 70, 150] {
            #expect(schedule.learningRate(at: start) == 0.1, "restart at \(start)")
        }
        // Half way through the second period (steps 10..<30) the rate is the midpoint.
        #expect(abs(schedule.learningRate(at: 20) - 0.0505) < 1e-15)
        #expect(schedule.learningRate(at: 29) < schedule.learningRate(at: 28))
        #expect(schedule.learningRate(at: 29) > 0.001)
        #expect(schedule.learningRate(at: -5) == 0.1)
    }

    @Test func naturalLengthIsTheSumOfTheGivenPeriods() {
        #expect(CosineRestartsSchedule(minRate: 0, maxRate: 1, period: 100, periodFactor: 2, cycles: 3).naturalLength == 700)
        #expect(CosineRestartsSchedule(minRate: 0, maxRate: 1, period: 10, cycles: 4).naturalLength == 40)
        #expect(CosineRestartsSchedule(minRate: 0, maxRate: 1, period: 10).naturalLength == nil)
    }

    @Test func ratesStayFiniteForHugeSteps() {
        let schedule = CosineRestartsSchedule(minRate: 0, maxRate: 0.1, period: 3, periodFactor: 2)
        for step in [Int.max, Int.max - 1, 1 << 62, (1 << 62) - 1] {
            let rate = schedule.learningRate(at: step)
            #expect(rate.isFinite && rate >= 0 && rate <= 0.1, "step \(step)")
        }
    }

    // MARK: - Reading from a configuration

    func error(_ parameters: [String: JSONValue]) -> ConfigurationError? {
        var members = parameters
        members["name"] = "cosine_restarts"
        do {
            _ = try CustomSchedule.registries.schedules.make(.object(members), path: "schedule")
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsEveryParameter() throws {
        let schedule = try CustomSchedule.registries.schedules.make(
            ["name": "cosine_restarts", "eta_min": 1e-4, "eta_max": 0.1, "period": 100, "period_factor": 2, "cycles": 3],
            path: "schedule")
        let sgdr = try #require(schedule as? CosineRestartsSchedule)
        #expect(sgdr == CosineRestartsSchedule(minRate: 1e-4, maxRate: 0.1, period: 100, periodFactor: 2, cycles: 3))
        #expect(schedule.description == "cosine_restarts(eta_min: 0.0001, eta_max: 0.1, period: 100, period_factor: 2, cycles: 3)")
    }

    @Test func periodTakesEpochsWithNoCodeOfItsOwn() throws {
        let context = PluginContext(batchesPerEpoch: 20)
        let schedule = try CustomSchedule.registries.schedules.make(
            ["name": "cosine_restarts", "eta_min": 0, "eta_max": 0.1, "period_epochs": 2.5, "cycles": 2],
            path: "schedule", context: context)
        #expect((schedule as? CosineRestartsSchedule)?.period == 50)
        #expect(schedule.naturalLength == 100)
        #expect(error(["eta_min": 0, "eta_max": 0.1, "period": 10, "period_epochs": 1]) == .invalidValue(
            path: "schedule.period_epochs", reason: "cannot be given together with 'period'; give the count once"))
    }

    @Test func invalidParametersNameTheirKey() {
        let valid: [String: JSONValue] = ["eta_min": 1e-4, "eta_max": 0.1, "period": 10]
        #expect(error(valid) == nil)
        func with(_ key: String, _ value: JSONValue?) -> [String: JSONValue] {
            var copy = valid
            copy[key] = value
            return copy
        }
        #expect(error(with("eta_max", nil)) == .missingKey(path: "schedule.eta_max"))
        #expect(error(with("period", nil)) == .missingKey(path: "schedule.period"))
        #expect(error(with("period", 1.5)) == .wrongType(path: "schedule.period", expected: "a whole number", found: "1.5"))
        let invalid: [(String, JSONValue)] = [
            ("eta_min", -1), ("eta_max", 1e-5), ("period", 0), ("period_factor", 0), ("cycles", 0), ("cycles", 200),
        ]
        for (key, value) in invalid {
            var parameters = with(key, value)
            if key == "cycles" { parameters["period_factor"] = 2 }
            guard case .invalidValue(let path, _)? = error(parameters) else {
                Issue.record("\(key): \(value) was accepted")
                continue
            }
            #expect(path == "schedule.\(key)")
        }
    }

    @Test func aMisspeltKeyIsReportedBeforeTheMissingOne() throws {
        let found = try #require(error(["eta_min": 1e-4, "eta_mx": 0.1, "period": 10]))
        #expect(found == .unknownKey(path: "schedule.eta_mx",
                                     allowed: ["cycles", "eta_max", "eta_min", "name", "period", "period_epochs", "period_factor"]))
        #expect(found.description.contains("Did you mean 'eta_max'?"))
    }
}
