/// A list that keeps all its elements, or only the latest `capacity` of them.
struct RingLog<Element> {
    private var storage: [Element] = []
    private var start = 0
    /// `nil` keeps everything.
    let capacity: Int?

    init(capacity: Int?) {
        self.capacity = capacity
    }

    mutating func append(_ element: Element) {
        guard let capacity else {
            storage.append(element)
            return
        }
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The elements, oldest first.
    var elements: [Element] {
        Array(storage[start...] + storage[..<start])
    }

    mutating func removeAll() {
        storage.removeAll()
        start = 0
    }
}

/// A set of strings that forgets its oldest members beyond `capacity`.
struct BoundedIDSet {
    private var members: Set<String> = []
    /// Insertion order, from `head` on; compacted once the forgotten prefix outgrows `capacity`.
    private var order: [String] = []
    private var head = 0
    /// `nil` remembers everything.
    let capacity: Int?

    init(capacity: Int?) {
        self.capacity = capacity
    }

    var count: Int { members.count }

    func contains(_ id: String) -> Bool {
        members.contains(id)
    }

    /// Adds `id`; returns `false` when it was already present.
    mutating func insert(_ id: String) -> Bool {
        guard members.insert(id).inserted else { return false }
        guard let capacity else { return true }
        order.append(id)
        if members.count > capacity {
            members.remove(order[head])
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
        return true
    }

    mutating func removeAll() {
        members.removeAll()
        order.removeAll()
        head = 0
    }
}
