import BackpropRegistry
import BackpropSchedules
import Testing

@Suite("Sampling and CSV")
struct ScheduleCSVTests {
    @Test("sample returns the rates of steps 0..<steps")
    func sampling() {
        let clr = TriangularSchedule(minRate: 0, maxRate: 1, stepSize: 2)
        #expect(sample(clr, steps: 6) == [0, 0.5, 1, 0.5, 0, 0.5])
        #expect(sample(clr, steps: 0).isEmpty)
        #expect(sample(clr, steps: -4).isEmpty)
    }

    @Test("the CSV has a header, one line per step and full precision")
    func csv() {
        let clr = TriangularSchedule(minRate: 1e-5, maxRate: 1e-1, stepSize: 3)
        let text = scheduleCSV(clr, steps: 4)
        #expect(text == "step,learning_rate\n0,1e-05\n1,\(1e-5 * 2 / 3 + 1e-1 / 3)\n2,\(1e-5 / 3 + 1e-1 * 2 / 3)\n3,0.1\n")
        #expect(text.hasPrefix("step,learning_rate\n0,1e-05\n"))
    }

    @Test("every rate in the CSV reads back to the same Double")
    func roundTrip() throws {
        let clr = TriangularSchedule(minRate: 1e-5, maxRate: 1e-1, stepSize: 7, mode: .exponentialRange(gamma: 0.9994))
        let lines = scheduleCSV(clr, steps: 100).split(separator: "\n")
        #expect(lines.count == 101)
        for (step, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",")
            #expect(fields.count == 2)
            #expect(Int(fields[0]) == step)
            #expect(Double(String(fields[1])) == clr.learningRate(at: step))
        }
    }

    @Test("an empty preview is the header alone")
    func empty() {
        #expect(scheduleCSV(ConstantSchedule(rate: 0.1), steps: 0) == "step,learning_rate\n")
    }
}
