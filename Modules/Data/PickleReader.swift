import Foundation

/// A small pickle machine that decodes the CIFAR-10 Python files without Python.
///
/// It walks the opcodes of protocols 2 to 5, the ones `cPickle` (Python 2) and `pickle` (Python 3)
/// write for dictionaries of strings, integer lists and NumPy arrays, and rebuilds the values in
/// `PickleValue`. The only callables it knows are `numpy.core.multiarray._reconstruct` (also spelled
/// `numpy._core.multiarray._reconstruct`), `numpy._core.numeric._frombuffer` (protocol 5 arrays),
/// `numpy.dtype` and `_codecs.encode` (how Python 3's protocol 2 writes `bytes`); any other `REDUCE` target, and any opcode outside that set, is an error that names
/// the opcode and its byte offset.
///
/// Semantics:
/// - The result is the value left by `STOP`; a file that ends before `STOP` is `DatasetError.truncated`.
/// - Byte strings share the input buffer (the 30 MB pixel array is not copied).
/// - Nothing is executed, so a hostile file can at worst be rejected: `GLOBAL` and `STACK_GLOBAL` only
///   record a module and a name, and `REDUCE` builds one of the values above or fails.
/// - Every declared length (of a string, a byte string) is checked against the bytes that are left
///   before anything is read or allocated; a length beyond them is `DatasetError.corruptPickle`.
/// - Lists, tuples and dictionaries nest at most `maximumDepth` deep (the CIFAR-10 files nest 4 deep):
///   deeper values, which would overflow the stack when freed, are `DatasetError.corruptPickle`. The depth
///   is measured where a value is put into another; a list that is deepened through the memo after it
///   was itself put into another list is measured as its own depth only.
/// - An ndarray's shape is checked for an element count that overflows `Int`.
/// - At most `maximumOpcodes` opcodes are run: each makes at most one value, so memory stays below about
///   25 bytes per opcode (400 MB) beyond the file, however the values are memoised and repeated.
struct PickleReader {
    /// The deepest nesting of lists, tuples and dictionaries accepted.
    static let maximumDepth = 100
    /// The most opcodes run: 2²⁴, a hundred times a whole CIFAR-10 batch file's 20,000 or so.
    static let maximumOpcodes = 1 << 24

    private let bytes: [UInt8]
    private let url: URL
    private var position = 0
    private var opcodeStart = 0
    private var stack: [PickleValue] = []
    /// The nesting depth of each stack entry (0 for a scalar, 1 for a container of scalars).
    private var depths: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: (value: PickleValue, depth: Int)] = [:]
    private let opcodeBudget: Int

    /// Decodes the pickle held in `bytes`; `url` is named in errors.
    static func decode(_ bytes: [UInt8], url: URL, maximumOpcodes: Int = maximumOpcodes) throws -> PickleValue {
        var reader = PickleReader(bytes: bytes, url: url, opcodeBudget: maximumOpcodes)
        return try reader.run()
    }

    private init(bytes: [UInt8], url: URL, opcodeBudget: Int) {
        self.opcodeBudget = opcodeBudget
        self.bytes = bytes
        self.url = url
    }

    private mutating func run() throws -> PickleValue {
        for _ in 0..<opcodeBudget {
            opcodeStart = position
            let opcode = try take(1).first!
            switch opcode {
            case 0x80:  // PROTO
                let version = try take(1).first!
                guard version >= 2 && version <= 5 else { throw corrupt("pickle protocol \(version) is not supported (2 to 5 are)") }
            case 0x95: _ = try take(8)  // FRAME: a length hint only
            case 0x2e:  // STOP
                return try pop()
            case 0x28: marks.append(stack.count)  // MARK
            case 0x7d: push(.dict(PickleDict()), depth: 1)  // EMPTY_DICT
            case 0x5d: push(.list(PickleList()), depth: 1)  // EMPTY_LIST
            case 0x29: push(.tuple([]), depth: 1)  // EMPTY_TUPLE
            case 0x4e: push(.none)  // NONE
            case 0x88: push(.bool(true))  // NEWTRUE
            case 0x89: push(.bool(false))  // NEWFALSE
            case 0x4b: push(.int(Int(try unsigned(1))))  // BININT1
            case 0x4d: push(.int(Int(try unsigned(2))))  // BININT2
            case 0x4a: push(.int(Int(Int32(truncatingIfNeeded: try unsigned(4)))))  // BININT
            case 0x8a: push(.int(try long(Int(try unsigned(1)))))  // LONG1
            case 0x47: push(.float(Double(bitPattern: try take(8).reduce(0) { $0 << 8 | UInt64($1) })))  // BINFLOAT
            case 0x58: push(.text(try text(try length(4))))  // BINUNICODE
            case 0x8c: push(.text(try text(try length(1))))  // SHORT_BINUNICODE
            case 0x55, 0x43: push(.bytes(try take(try length(1))))  // SHORT_BINSTRING, SHORT_BINBYTES
            case 0x54:  // BINSTRING: the length is signed
                let length = Int(Int32(truncatingIfNeeded: try unsigned(4)))
                guard length >= 0 else { throw corrupt("BINSTRING with negative length \(length)") }
                push(.bytes(try take(length)))
            case 0x42: push(.bytes(try take(try length(4))))  // BINBYTES
            case 0x8e, 0x96: push(.bytes(try take(try length(8))))  // BINBYTES8, BYTEARRAY8
            case 0x85: try makeTuple(count: 1)  // TUPLE1
            case 0x86: try makeTuple(count: 2)  // TUPLE2
            case 0x87: try makeTuple(count: 3)  // TUPLE3
            case 0x74:  // TUPLE
                let (items, depth) = try popMark()
                push(.tuple(items), depth: try nested(depth))
            case 0x61:  // APPEND
                let depth = depths.last ?? 0
                let item = try pop()
                try list(at: stack.count - 1, holding: depth).items.append(item)
            case 0x65:  // APPENDS
                let (items, depth) = try popMark()
                try list(at: stack.count - 1, holding: depth).items.append(contentsOf: items)
            case 0x73:  // SETITEM
                let depth = max(depths.last ?? 0, depths.dropLast().last ?? 0)
                let value = try pop(), key = try pop()
                try dict(at: stack.count - 1, holding: depth).entries.append((key, value))
            case 0x75:  // SETITEMS
                let (items, depth) = try popMark()
                guard items.count % 2 == 0 else { throw corrupt("SETITEMS with an odd number of items") }
                let target = try dict(at: stack.count - 1, holding: depth)
                for i in stride(from: 0, to: items.count, by: 2) { target.entries.append((items[i], items[i + 1])) }
            case 0x63:  // GLOBAL: "module\nname\n"
                let module = try line(), name = try line()
                push(.global(module: module, name: name))
            case 0x93:  // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard case .text(let n) = name, case .text(let m) = module else {
                    throw corrupt("STACK_GLOBAL needs two strings, found \(module.typeName) and \(name.typeName)")
                }
                push(.global(module: m, name: n))
            case 0x52:  // REDUCE
                let arguments = try pop(), callable = try pop()
                push(try reduce(callable, arguments))
            case 0x62:  // BUILD
                let state = try pop()
                try build(try peek(), state: state)
            case 0x71: memo[Int(try unsigned(1))] = (try peek(), depths.last ?? 0)  // BINPUT
            case 0x72: memo[Int(try unsigned(4))] = (try peek(), depths.last ?? 0)  // LONG_BINPUT
            case 0x94: memo[memo.count] = (try peek(), depths.last ?? 0)  // MEMOIZE
            case 0x68: try recall(Int(try unsigned(1)))  // BINGET
            case 0x6a: try recall(Int(try unsigned(4)))  // LONG_BINGET
            default:
                let printable = (0x21...0x7e).contains(opcode) ? " ('\(Character(UnicodeScalar(opcode)))')" : ""
                throw corrupt("unsupported opcode 0x\(String(opcode, radix: 16))\(printable)")
            }
        }
        opcodeStart = position
        throw corrupt("no STOP after \(opcodeBudget) opcodes, the most this reader runs (a CIFAR-10 batch needs about 20,000)")
    }

    // MARK: - Operand reading

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw DatasetError.truncated(url, expected: position + count, found: bytes.count)
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// A length operand of `width` bytes, checked against the bytes left in the file.
    private mutating func length(_ width: Int) throws -> Int {
        let declared = try unsigned(width)
        let left = bytes.count - position
        guard declared <= UInt64(left) else {
            throw corrupt("a length of \(declared) bytes is declared but only \(left) bytes follow")
        }
        return Int(declared)
    }

    /// A little-endian unsigned integer of `width` bytes.
    private mutating func unsigned(_ width: Int) throws -> UInt64 {
        try take(width).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A little-endian two's-complement integer of `width` bytes (LONG1), up to 64 bits.
    private mutating func long(_ width: Int) throws -> Int {
        guard width <= 8 else { throw corrupt("integer of \(width) bytes does not fit 64 bits") }
        guard width > 0 else { return 0 }
        let raw = try unsigned(width)
        let shift = UInt64(64 - 8 * width)
        return Int(Int64(bitPattern: raw << shift) >> Int64(shift))
    }

    private mutating func text(_ length: Int) throws -> String {
        let slice = try take(length)
        guard let text = String(validating: slice, as: UTF8.self) else { throw corrupt("string is not valid UTF-8") }
        return text
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0a) else {
            throw DatasetError.truncated(url, expected: bytes.count + 1, found: bytes.count)
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }

    // MARK: - Stack

    private mutating func push(_ value: PickleValue, depth: Int = 0) {
        stack.append(value)
        depths.append(depth)
    }

    private mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else { throw corrupt("stack underflow") }
        depths.removeLast()
        return value
    }

    /// The depth of a container holding items of depth at most `itemDepth`, checked against `maximumDepth`.
    private func nested(_ itemDepth: Int) throws -> Int {
        guard itemDepth < Self.maximumDepth else {
            throw corrupt("lists, tuples and dicts nest more than \(Self.maximumDepth) deep")
        }
        return itemDepth + 1
    }

    private func peek() throws -> PickleValue {
        guard let value = stack.last else { throw corrupt("stack underflow") }
        return value
    }

    /// The items above the last mark, and the deepest of their depths.
    private mutating func popMark() throws -> (items: [PickleValue], depth: Int) {
        guard let mark = marks.popLast() else { throw corrupt("no MARK to pop to") }
        defer {
            stack.removeSubrange(mark...)
            depths.removeSubrange(mark...)
        }
        return (Array(stack[mark...]), depths[mark...].max() ?? 0)
    }

    private mutating func makeTuple(count: Int) throws {
        guard stack.count - (marks.last ?? 0) >= count else { throw corrupt("stack underflow") }
        let items = Array(stack.suffix(count))
        let depth = try nested(depths.suffix(count).max() ?? 0)
        stack.removeLast(count)
        depths.removeLast(count)
        push(.tuple(items), depth: depth)
    }

    /// Pushes memo entry `index`; a list or dict brings its depth as it is now.
    private mutating func recall(_ index: Int) throws {
        guard let (value, depth) = memo[index] else { throw corrupt("memo entry \(index) was never stored") }
        switch value {
        case .list(let list): push(value, depth: max(depth, list.depth))
        case .dict(let dict): push(value, depth: max(depth, dict.depth))
        default: push(value, depth: depth)
        }
    }

    /// The list at stack `index`, about to receive items of depth at most `itemDepth`.
    private mutating func list(at index: Int, holding itemDepth: Int) throws -> PickleList {
        guard index >= 0, case .list(let list) = stack[index] else {
            throw corrupt("APPEND target is \(index >= 0 ? stack[index].typeName : "missing"), not a list")
        }
        list.depth = max(list.depth, try nested(itemDepth))
        depths[index] = max(depths[index], list.depth)
        return list
    }

    /// The dict at stack `index`, about to receive keys and values of depth at most `itemDepth`.
    private mutating func dict(at index: Int, holding itemDepth: Int) throws -> PickleDict {
        guard index >= 0, case .dict(let dict) = stack[index] else {
            throw corrupt("SETITEM target is \(index >= 0 ? stack[index].typeName : "missing"), not a dict")
        }
        dict.depth = max(dict.depth, try nested(itemDepth))
        depths[index] = max(depths[index], dict.depth)
        return dict
    }

    private func corrupt(_ reason: String) -> DatasetError {
        DatasetError.corruptPickle(url, offset: opcodeStart, reason: reason)
    }

    // MARK: - The known callables

    private func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let args) = arguments else {
            throw corrupt("REDUCE needs a global and a tuple, found \(callable.typeName) and \(arguments.typeName)")
        }
        switch (module, name) {
        case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"):
            return .array(NumpyArray())
        case ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"):
            // Protocol 5: _frombuffer(buffer, dtype, shape, order) builds the array in one call.
            guard args.count == 4, case .bytes(let data) = args[0], case .dtype(let dtype) = args[1],
                  let shape = args[2].elements, let order = args[3].string else {
                throw corrupt("_frombuffer needs (bytes, dtype, shape, order)")
            }
            let array = NumpyArray()
            array.shape = try extents(shape)
            array.descriptor = dtype.descriptor
            array.fortranOrder = order == "F"
            array.data = data
            array.isBuilt = true
            return .array(array)
        case ("numpy", "dtype"):
            guard let descriptor = args.first?.string else { throw corrupt("numpy.dtype without a type string") }
            return .dtype(NumpyDType(descriptor: descriptor))
        case ("_codecs", "encode"):
            // Python 3 writes `bytes` in protocol 2 as encode(latin-1 text, "latin1").
            guard args.count == 2, case .text(let text) = args[0], let codec = args[1].string,
                  ["latin1", "latin-1", "iso-8859-1"].contains(codec.lowercased()) else {
                throw corrupt("_codecs.encode is only read with a latin1 string")
            }
            var result = [UInt8]()
            result.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw corrupt("latin1 text holds U+\(String(scalar.value, radix: 16))") }
                result.append(UInt8(scalar.value))
            }
            return .bytes(result[...])
        case ("__builtin__", "bytes"), ("builtins", "bytes"):
            // Python 3 writes an empty `bytes` in protocol 2 as bytes() with no arguments.
            guard args.isEmpty else { throw corrupt("bytes(...) is only read without arguments (b'')") }
            return .bytes([])
        default:
            throw corrupt("REDUCE of \(module).\(name) is not supported (only NumPy arrays are read)")
        }
    }

    /// The extents of an ndarray shape; their product must fit in `Int`.
    private func extents(_ shape: [PickleValue]) throws -> [Int] {
        let extents = try shape.map {
            guard case .int(let extent) = $0 else { throw corrupt("ndarray shape holds \($0.typeName)") }
            guard extent >= 0 else { throw corrupt("ndarray shape holds the negative extent \(extent)") }
            return extent
        }
        var count = 1
        for extent in extents {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw corrupt("ndarray shape \(extents) has more elements than an Int can count") }
            count = product
        }
        return extents
    }

    private func build(_ object: PickleValue, state: PickleValue) throws {
        switch object {
        case .array(let array):
            // State: (version, shape, dtype, is_fortran, raw data); NumPy before 1.0 omitted the version.
            guard var fields = state.elements else { throw corrupt("ndarray state is \(state.typeName), not a tuple") }
            if fields.count == 5 { fields.removeFirst() }
            guard fields.count == 4, let shape = fields[0].elements, case .dtype(let dtype) = fields[1],
                  case .bool(let fortran) = fields[2] else {
                throw corrupt("ndarray state is not (version, shape, dtype, is_fortran, data)")
            }
            array.shape = try extents(shape)
            guard case .bytes(let data) = fields[3] else {
                throw corrupt("ndarray data is \(fields[3].typeName), not raw bytes (object arrays are not supported)")
            }
            array.descriptor = dtype.descriptor
            array.fortranOrder = fortran
            array.data = data
            array.isBuilt = true
        case .dtype(let dtype):
            // State: (version, byte order, subarray, names, fields, elsize, alignment, flags).
            if let fields = state.elements, fields.count > 1, let order = fields[1].string { dtype.byteOrder = order }
        default:
            throw corrupt("BUILD of \(object.typeName) is not supported")
        }
    }
}
