/// Writes pickles the way Python 2's `cPickle.dump(obj, f, 2)` wrote the official CIFAR-10 Python batches.
///
/// The opcode sequence is the one the official files use: a protocol 2 header, an `EMPTY_DICT` filled by
/// one `SETITEMS`, keys as `SHORT_BINSTRING`, labels as an `EMPTY_LIST` filled by `APPENDS` of `BININT1`
/// (in runs of 1000, as cPickle batches them), and the array as `GLOBAL numpy.core.multiarray
/// _reconstruct` + `REDUCE` + `BUILD` with the state `(1, shape, dtype('u1'), False, raw bytes)`, the raw
/// bytes as `BINSTRING`. Every object is memoised with `BINPUT`, as cPickle does. `python3 -c "import
/// pickle; pickle.loads(b, encoding='bytes')"` reads these bytes back to the same dictionary (checked when
/// this writer was made).
struct PickleFixture {
    private(set) var bytes: [UInt8] = [0x80, 0x02]
    private var memo: UInt8 = 1

    /// The pickle of `{'batch_label': …, 'labels': labels, 'data': uint8 array [n, columns], 'filenames': …}`.
    static func cifarBatch(labels: [Int], pixels: [UInt8], columns: Int = 3072) -> [UInt8] {
        var p = PickleFixture()
        p.op(0x7d); p.put()  // EMPTY_DICT
        p.op(0x28)  // MARK
        p.string("batch_label"); p.string("training batch 1 of 5")
        p.string("labels"); p.intList(labels)
        p.string("data"); p.array(pixels, shape: [labels.count, columns])
        p.string("filenames"); p.op(0x5d); p.put()
        p.op(0x28)
        for i in 0..<labels.count { p.string("image_\(i).png") }
        p.op(0x65)  // APPENDS
        p.op(0x75)  // SETITEMS
        p.op(0x2e)  // STOP
        return p.bytes
    }

    /// The pickle of `batches.meta`: `{'num_cases_per_batch': 10000, 'label_names': […], 'num_vis': 3072}`.
    static func meta(labelNames: [String]) -> [UInt8] {
        var p = PickleFixture()
        p.op(0x7d); p.put()
        p.op(0x28)
        p.string("num_cases_per_batch"); p.int(10000)
        p.string("label_names"); p.op(0x5d); p.put()
        p.op(0x28)
        for name in labelNames { p.string(name) }
        p.op(0x65)
        p.string("num_vis"); p.int(3072)
        p.op(0x75)
        p.op(0x2e)
        return p.bytes
    }

    mutating func op(_ code: UInt8) { bytes.append(code) }

    /// BINPUT with the next memo index.
    mutating func put() {
        bytes += [0x71, memo]
        memo &+= 1
    }

    /// SHORT_BINSTRING or BINSTRING (a Python 2 `str`).
    mutating func binaryString(_ value: [UInt8]) {
        if value.count < 256 {
            bytes += [0x55, UInt8(value.count)]
        } else {
            bytes.append(0x54)
            bytes += littleEndian(UInt32(value.count))
        }
        bytes += value
        put()
    }

    mutating func string(_ text: String) { binaryString(Array(text.utf8)) }

    /// BININT1, BININT2, BININT or LONG1 (8 bytes), the smallest that holds `value`.
    mutating func int(_ value: Int) {
        switch value {
        case 0..<256: bytes += [0x4b, UInt8(value)]
        case 256..<65536: bytes += [0x4d] + littleEndian(UInt32(value)).prefix(2)
        case Int(Int32.min)...Int(Int32.max): bytes += [0x4a] + littleEndian(UInt32(truncatingIfNeeded: value))
        default: bytes += [0x8a, 8] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
    }

    mutating func intList(_ values: [Int]) {
        op(0x5d); put()  // EMPTY_LIST
        for start in stride(from: 0, to: values.count, by: 1000) {
            op(0x28)
            for value in values[start..<min(start + 1000, values.count)] { int(value) }
            op(0x65)  // APPENDS
        }
    }

    mutating func global(_ module: String, _ name: String) {
        op(0x63)
        bytes += Array("\(module)\n\(name)\n".utf8)
        put()
    }

    mutating func array(_ data: [UInt8], shape: [Int]) {
        global("numpy.core.multiarray", "_reconstruct")
        global("numpy", "ndarray")
        int(0); op(0x85); put()  // (0,)
        string("b")
        op(0x87); put(); op(0x52); put()  // TUPLE3, REDUCE
        op(0x28)  // MARK: the state tuple
        int(1)
        for extent in shape { int(extent) }
        op(0x86); put()  // TUPLE2: the shape
        global("numpy", "dtype")
        string("u1"); int(0); int(1)
        op(0x87); put(); op(0x52); put()
        op(0x28); int(3); string("|"); op(0x4e); op(0x4e); op(0x4e); int(-1); int(-1); int(0)
        op(0x74); put(); op(0x62)  // TUPLE, BUILD the dtype
        op(0x89)  // NEWFALSE: C order
        binaryString(data)
        op(0x74); put(); op(0x62)  // TUPLE, BUILD the array
    }

    private func littleEndian(_ value: UInt32) -> [UInt8] {
        [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
