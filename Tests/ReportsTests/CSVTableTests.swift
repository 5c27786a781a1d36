import BackpropReports
import Foundation
import Testing

@Suite("CSVTable")
struct CSVTableTests {
    @Test("plain fields are written as is, one line per row")
    func plain() {
        var table = CSVTable(columns: ["epoch", "loss", "note"])
        table.append([1, 2.25, "warm-up"])
        table.append([2, .empty, ""])
        #expect(table.render() == "epoch,loss,note\n1,2.25,warm-up\n2,,\n")
    }

    @Test("fields with commas, quotes and line breaks are quoted as RFC 4180 says")
    func quoting() {
        let table = CSVTable(columns: ["name, full", "say \"hi\""], rows: [
            ["a\nb", "c\r\nd"],
            ["\"", " spaced "],
        ])
        let expected = "\"name, full\",\"say \"\"hi\"\"\"\n"
            + "\"a\nb\",\"c\r\nd\"\n"
            + "\"\"\"\", spaced \n"
        #expect(table.render() == expected)
    }

    @Test("numbers are written in shortest round-trip form and read back exactly")
    func fullPrecision() throws {
        let values: [Double] = [0.1, 0.30000000000000004, 1e-5, 123_456_789.123, -2.5e-300, 1.0 / 3.0]
        let table = CSVTable(columns: ["value"], rows: values.map { [.number($0)] })
        let lines = table.render().split(separator: "\n").dropFirst()
        #expect(lines.map(String.init) == ["0.1", "0.30000000000000004", "1e-05", "123456789.123", "-2.5e-300", "0.3333333333333333"])
        #expect(lines.compactMap { Double(String($0)) } == values)
    }

    @Test("non-finite numbers are nan, inf and -inf; integers have no decimal point")
    func specialNumbers() {
        let table = CSVTable(columns: ["a", "b", "c", "d"], rows: [[.number(.nan), .number(.infinity), .number(-.infinity), .integer(-42)]])
        #expect(table.render() == "a,b,c,d\nnan,inf,-inf,-42\n")
    }

    @Test("a table with no rows is just the header")
    func headerOnly() {
        #expect(CSVTable(columns: ["x"]).render() == "x\n")
    }

    @Test("write(to:) writes the rendered text")
    func write() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let table = CSVTable(columns: ["λ", "accuracy"], rows: [[0.001, 0.3871]])
        let url = directory.url.appendingPathComponent("search/search.csv")
        try table.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == table.render())
    }

    // MARK: - Markdown

    @Test("markdown renders a GitHub table with numeric columns right-aligned")
    func markdown() {
        let table = CSVTable(columns: ["lambda", "cycles", "accuracy", "note"], rows: [
            [0.001, 2, 0.3871, "best"],
            [1e-5, .empty, .number(.nan), ""],
        ])
        #expect(table.markdown() == """
            | lambda | cycles | accuracy | note |
            | ---: | ---: | ---: | --- |
            | 0.001 | 2 | 0.3871 | best |
            | 1e-05 |  | nan |  |

            """)
    }

    @Test("markdown escapes pipes and backslashes and turns line breaks into <br>")
    func markdownEscaping() {
        let table = CSVTable(columns: ["a|b"], rows: [["x\\y"], ["one\ntwo"]])
        #expect(table.markdown() == "| a\\|b |\n| --- |\n| x\\\\y |\n| one<br>two |\n")
    }

    @Test("markdown can round numbers for reading while the CSV keeps them in full")
    func significantDigits() {
        let table = CSVTable(columns: ["accuracy"], rows: [[0.38712345], [.number(.infinity)]])
        #expect(table.markdown(significantDigits: 3) == "| accuracy |\n| ---: |\n| 0.387 |\n| inf |\n")
        #expect(table.render() == "accuracy\n0.38712345\ninf\n")
    }

    @Test("an empty column of only empty cells is left-aligned")
    func emptyColumn() {
        let table = CSVTable(columns: ["e"], rows: [[.empty]])
        #expect(table.markdown().contains("| --- |"))
    }
}
