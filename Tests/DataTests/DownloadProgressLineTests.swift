import BackpropData
import Testing

@Suite("Download progress line")
struct DownloadProgressLineTests {
    @Test func logGetsALineEveryTenPercent() {
        var line = DownloadProgressLine(label: "cifar-10-binary.tar.gz", isTerminal: false)
        let total: Int64 = 170_052_171
        let texts = stride(from: Int64(0), through: total, by: 1 << 20).map { $0 } + [total]
        let written = texts.compactMap { line.update(bytes: $0, total: total) }
        #expect(written.count == 11)
        #expect(written.first == "cifar-10-binary.tar.gz: 0% (0.0 of 170.1 MB)\n")
        #expect(written[1].hasPrefix("cifar-10-binary.tar.gz: 10% ("))
        #expect(written.last == "cifar-10-binary.tar.gz: 100% (170.1 of 170.1 MB)\n")
        #expect(line.finish() == nil)
    }

    @Test func terminalRedrawsOnEachNewPercentAndEndsTheLine() {
        var line = DownloadProgressLine(label: "x", isTerminal: true)
        #expect(line.update(bytes: 0, total: 1000) == "\r\u{1B}[Kx: 0% (0.0 of 0.0 MB)")
        #expect(line.update(bytes: 5, total: 1000) == nil)  // still 0%
        #expect(line.update(bytes: 420, total: 1000) == "\r\u{1B}[Kx: 42% (0.0 of 0.0 MB)")
        #expect(line.update(bytes: 1000, total: 1000) == "\r\u{1B}[Kx: 100% (0.0 of 0.0 MB)")
        #expect(line.finish() == "\n")
        #expect(line.finish() == nil)
    }

    @Test func unknownTotalShowsMegabytes() {
        var terminal = DownloadProgressLine(label: "x", isTerminal: true)
        #expect(terminal.update(bytes: 2_450_000, total: nil) == "\r\u{1B}[Kx: 2.5 MB")
        #expect(terminal.update(bytes: 2_900_000, total: nil) == nil)
        var log = DownloadProgressLine(label: "x", isTerminal: false)
        #expect(log.update(bytes: 0, total: nil) == "x: 0.0 MB\n")
        #expect(log.update(bytes: 9_999_999, total: nil) == nil)
        #expect(log.update(bytes: 10_000_000, total: -1) == "x: 10.0 MB\n")
    }
}
