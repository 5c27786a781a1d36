import BackpropData
import BackpropTensor
import BackpropTestSupport
import Foundation
import Testing

@Suite("MD5")
struct MD5Tests {
    /// The test suite of RFC 1321, appendix A.5.
    static let rfc1321: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"),
    ]

    @Test(arguments: rfc1321)
    func matchesTheRFC1321TestSuite(message: String, digest: String) {
        #expect(MD5.hexDigest(Array(message.utf8)) == digest)
        #expect(MD5.hash(Array(message.utf8)).count == 16)
    }

    @Test func oneMillionAs() {
        // The long-message vector of the NIST/NESSIE test sets.
        #expect(MD5.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == "7707d6ae4e027c70eea2a935c2296f21")
    }

    @Test func pieceByPieceEqualsOneShot() {
        var generator = SeededGenerator(seed: 5)
        let message = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Lengths around the 56-byte padding limit and the 64-byte block, fed in uneven pieces.
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let whole = Array(message.prefix(length))
            var md5 = MD5()
            var start = 0
            for piece in [1, 3, 60, 64, 7, 200, 1000] where start < length {
                let end = min(length, start + piece)
                md5.update(Array(whole[start..<end]))
                start = end
            }
            #expect(md5.finalize() == MD5.hash(whole), "length \(length)")
        }
    }

    @Test func finalizeDoesNotEndTheDigest() {
        var md5 = MD5()
        md5.update(Array("message ".utf8))
        #expect(MD5.hex(md5.finalize()) == MD5.hexDigest(Array("message ".utf8)))
        md5.update(Array("digest".utf8))
        #expect(MD5.hex(md5.finalize()) == "f96b697d7cb7938d525a2f31aaf161d0")
    }

    @Test func hexDigestOfAFileStreamsIt() throws {
        let directory = try makeDatasetFixtureDirectory("md5")
        let url = directory.appending(path: "big.bin")
        // Over 1 MiB, so that the file is read in more than one piece.
        let bytes = (0..<(1 << 20) + 12_345).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        try Data(bytes).write(to: url)
        // The value `md5sum` (GNU coreutils) prints for the same bytes.
        #expect(try MD5.hexDigest(ofFile: url) == "505f9724dc23d4133c810ab93bf0e6d4")
        #expect(MD5.hexDigest(bytes) == "505f9724dc23d4133c810ab93bf0e6d4")
        let missing = directory.appending(path: "missing.bin")
        #expect(throws: DatasetError.self) { try MD5.hexDigest(ofFile: missing) }
    }

    @Test func hexFormatsEveryByteWithTwoDigits() {
        #expect(MD5.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
