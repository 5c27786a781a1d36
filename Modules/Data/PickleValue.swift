/// A value decoded from a pickle: the part of Python's object model that data-set files use.
///
/// Lists, dictionaries and NumPy objects are references (classes) because the pickle machine mutates
/// them after they were memoised (`APPENDS`, `SETITEMS`, `BUILD`), and a later `BINGET` must see the
/// change, as in Python. Nothing here is ever executed: a `REDUCE` only builds the few known NumPy
/// objects, so a hostile pickle cannot run code.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// A Python 3 `str` (or Python 2 `unicode`).
    case text(String)
    /// A Python 3 `bytes` or Python 2 `str`, sharing the file's buffer.
    case bytes(ArraySlice<UInt8>)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A reference to a Python callable or class, by module and name.
    case global(module: String, name: String)
    case array(NumpyArray)
    case dtype(NumpyDType)

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .text: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let module, let name): "\(module).\(name)"
        case .array: "numpy.ndarray"
        case .dtype: "numpy.dtype"
        }
    }

    /// The string held by a `str` or a `bytes` value (decoded as UTF-8), as dictionary keys are compared.
    var string: String? {
        switch self {
        case .text(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The elements of a list or tuple.
    var elements: [PickleValue]? {
        switch self {
        case .list(let list): list.items
        case .tuple(let items): items
        default: nil
        }
    }
}

/// A Python list, shared between the stack and the memo.
final class PickleList {
    var items: [PickleValue] = []
    /// How deep its items nest, plus one (`PickleReader` keeps it at most its maximum).
    var depth = 1
}

/// A Python dictionary, kept in insertion order, shared between the stack and the memo.
final class PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []
    /// How deep its keys and values nest, plus one (`PickleReader` keeps it at most its maximum).
    var depth = 1

    /// The value whose key is the string `key` (as `str` or as `bytes`).
    subscript(key: String) -> PickleValue? {
        entries.first { $0.key.string == key }?.value
    }

    /// The keys that are strings, for error messages.
    var stringKeys: [String] { entries.compactMap { $0.key.string } }
}

/// A NumPy array as rebuilt from `_reconstruct` and the `BUILD` state: raw bytes plus their layout.
final class NumpyArray {
    var shape: [Int] = []
    /// The element type, such as `u1` or `<f4`.
    var descriptor: String = ""
    var fortranOrder = false
    var data: ArraySlice<UInt8> = []
    /// Whether a `BUILD` has filled the array (before that it is an empty shell).
    var isBuilt = false
}

/// A NumPy `dtype`, by its type string (`u1`, `f4`) and the byte order its state gives.
final class NumpyDType {
    let descriptor: String
    var byteOrder = "|"

    init(descriptor: String) { self.descriptor = descriptor }
}
