/// The values of a document by key path, and how two documents differ.
extension JSONValue {
    /// Every value that is not an object, by its key path (`training.batch_size`; array elements as
    /// `schedule.steps[2]`); an empty object or array is a leaf of its own. A document that is not an
    /// object is the one leaf at path "".
    ///
    /// Used to compare experiments: two configurations differ exactly where their leaves do.
    public var leaves: [String: JSONValue] {
        var found: [String: JSONValue] = [:]
        func visit(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members) where !members.isEmpty:
                for (key, member) in members { visit(member, path.isEmpty ? key : "\(path).\(key)") }
            case .array(let items) where !items.isEmpty:
                for (index, item) in items.enumerated() { visit(item, "\(path)[\(index)]") }
            default:
                found[path] = value
            }
        }
        visit(self, "")
        return found
    }

    /// What differs from `earlier`, one phrase per key path in sorted order ("training.batch_size is 200,
    /// not 100"; "training.momentum is absent, not 0.9"); empty when the documents are equal.
    public func differences(from earlier: JSONValue) -> [String] {
        let now = leaves
        let then = earlier.leaves
        return Set(now.keys).union(then.keys).sorted().compactMap { path in
            let (a, b) = (now[path], then[path])
            guard a != b else { return nil }
            let name = path.isEmpty ? "the document" : path
            return "\(name) is \(a.map(\.jsonText) ?? "absent"), not \(b.map(\.jsonText) ?? "absent")"
        }
    }
}
