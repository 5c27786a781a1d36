import BackpropRegistry
import Foundation
import Testing

@Suite struct JSONValueLeavesTests {
    @Test func leavesAreTheValuesByKeyPath() {
        let document: JSONValue = ["training": ["batch_size": 100, "steps": [1, 2]], "name": "a", "empty": [:]]
        #expect(document.leaves == [
            "training.batch_size": 100, "training.steps[0]": 1, "training.steps[1]": 2, "name": "a", "empty": [:],
        ])
        #expect(JSONValue.number(3).leaves == ["": 3])
    }

    @Test func differencesNameEachPathWithBothValues() {
        let before: JSONValue = ["training": ["batch_size": 100, "momentum": 0.9], "seed": 1]
        let after: JSONValue = ["training": ["batch_size": 200], "seed": 1, "name": "x"]
        #expect(after.differences(from: before) == [
            "name is \"x\", not absent",
            "training.batch_size is 200, not 100",
            "training.momentum is absent, not 0.9",
        ])
        #expect(before.differences(from: before).isEmpty)
    }

    @Test func encodingGivesTheSameDocumentBack() throws {
        let document: JSONValue = ["a": [1, 2.5, true, .null, "x\n"], "b": ["c": .number(0.1 + 0.2), "d": -1e-300]]
        let data = try JSONEncoder().encode(document)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == document)
        let parsed = try JSONValue(parsing: data)
        #expect(parsed == document)
    }
}
