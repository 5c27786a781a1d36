import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@Suite struct EvaluationReportTests {
    let probabilities = Tensor<Double>(shape: [4, 2], scalars: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.0, 1.0])
    let labels = [0, 1, 1, 1]

    @Test func scoresProbabilities() {
        let e = ModelEvaluation(name: "m", probabilities: probabilities, labels: labels, classNames: ["a", "b"])
        #expect(e.accuracy == 0.75)
        #expect(e.confusion.counts == [[1, 0], [1, 2]])
        let expected = -(log(0.9) + log(0.8) + log(0.4) + log(1.0)) / 4
        #expect(abs(e.loss - expected) < 1e-15)
        // A certain mistake gives a large finite loss, not infinity.
        let certain = ModelEvaluation(name: "c", probabilities: Tensor(shape: [1, 2], scalars: [1, 0]), labels: [1],
                                      classNames: ["a", "b"])
        #expect(certain.loss.isFinite && certain.loss > 700)
    }

    @Test func writesJSONCSVAndAColouredMatrix() throws {
        let member = ModelEvaluation(name: "seed 1", probabilities: probabilities, labels: labels, classNames: ["cat", "dog"])
        var ensemble = member
        ensemble.name = "ensemble"
        let out = try makeDatasetFixtureDirectory("evaluation-report")
        try EvaluationReport.write([member, ensemble], split: "test", to: out)
        let perClass = try String(contentsOf: out.appending(path: "per_class.csv"), encoding: .utf8)
        #expect(perClass.hasPrefix("class,support,precision,recall,accuracy\ncat,1,0.5,1.0,0.75\ndog,3,1.0,0.666"))
        let confusion = try String(contentsOf: out.appending(path: "confusion.csv"), encoding: .utf8)
        #expect(confusion.contains("cat,1,0") && confusion.contains("dog,1,2"))
        let html = try String(contentsOf: out.appending(path: "evaluation.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains(">cat</text>") && html.contains("predicted class"))
        #expect(FileManager.default.fileExists(atPath: out.appending(path: "members.csv").path))
        let json = try JSONValue(parsing: Foundation.Data(contentsOf: out.appending(path: "evaluation.json")))
        guard case .object(let root) = json, case .array(let all)? = root["evaluations"] else {
            Issue.record("no evaluations")
            return
        }
        #expect(all.count == 2 && root["split"] == "test")
    }
}
