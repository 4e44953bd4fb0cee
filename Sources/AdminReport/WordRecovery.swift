import SentimentModel

/// The live model's strongest words and those learning moved most, named from texts: the
/// model hashes its terms, so its columns have no names; hashing texts with the model's own
/// vectorizer finds the slot of each of their terms (eli5's InvertableHashingVectorizer idea).
/// Online learning changes only the slots of the terms of the texts it learns, so with the
/// feedback texts the movers are found exactly. Two passes over the texts, linear in their
/// length: the distinct slots first, weighed in both models; then the names of the few chosen.
struct WordRecovery {
    /// Names kept per slot: terms that collide share a weight and are shown together.
    static let namesPerSlot = 4

    let live: SentimentClassifier
    /// The model file, for the movers; nil when it does not load or is not the live model's
    /// kind.
    let file: SentimentClassifier?

    init(live: SentimentClassifier, file: SentimentClassifier?) {
        self.live = live
        if let file, file.vectorizer.variant == live.vectorizer.variant, file.vectorizer.featureCount == live.vectorizer.featureCount {
            self.file = file
        } else {
            self.file = nil
        }
    }

    /// The `count` strongest words towards each side in the live model and the `count` that
    /// moved most, from the terms of `texts`.
    func words(in texts: [String], count: Int) -> (positive: [AdminFacts.Word], negative: [AdminFacts.Word], movers: [AdminFacts.Word]) {
        var slots = Set<TermSlot>()
        for text in texts { live.forEachTerm(in: text) { slot, _ in slots.insert(slot) } }
        var positive = Strongest(limit: count)
        var negative = Strongest(limit: count)
        var movers = Strongest(limit: count)
        for slot in slots {
            let weight = live.termWeight(of: slot)
            if weight > 0 { positive.offer(slot, weight) }
            if weight < 0 { negative.offer(slot, -weight) }
            if let file { movers.offer(slot, abs(weight - file.termWeight(of: slot))) }
        }
        let named = names(of: Set(positive.slots + negative.slots + movers.slots), in: texts)
        func words(_ chosen: Strongest) -> [AdminFacts.Word] {
            chosen.slots.map { slot in
                let names = named[slot, default: [:]]
                return AdminFacts.Word(
                    names: names.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(Self.namesPerSlot).map(\.key),
                    occurrences: names.values.reduce(0, +), liveWeight: live.termWeight(of: slot),
                    fileWeight: file?.termWeight(of: slot) ?? live.termWeight(of: slot))
            }
        }
        return (words(positive), words(negative), words(movers))
    }

    /// How many times each name of each slot of `chosen` occurs in `texts`.
    private func names(of chosen: Set<TermSlot>, in texts: [String]) -> [TermSlot: [String: Int]] {
        var names: [TermSlot: [String: Int]] = [:]
        for text in texts {
            live.forEachTerm(in: text) { slot, name in
                if chosen.contains(slot) { names[slot, default: [:]][name(), default: 0] += 1 }
            }
        }
        return names
    }

    /// The `limit` slots of largest score offered (above 0), largest first; ties by column, so
    /// that the page does not depend on the set's order. Only the few kept are ever sorted.
    struct Strongest {
        let limit: Int
        private(set) var kept: [(slot: TermSlot, score: Double)] = []

        init(limit: Int) {
            self.limit = limit
        }

        var slots: [TermSlot] { kept.map(\.slot) }

        mutating func offer(_ slot: TermSlot, _ score: Double) {
            guard score > 0, limit > 0 else { return }
            if kept.count == limit {
                guard Self.isAhead((slot, score), of: kept[limit - 1]) else { return }
                kept.removeLast()
            }
            var position = kept.count
            while position > 0 && Self.isAhead((slot, score), of: kept[position - 1]) { position -= 1 }
            kept.insert((slot, score), at: position)
        }

        private static func isAhead(_ lhs: (slot: TermSlot, score: Double), of rhs: (slot: TermSlot, score: Double)) -> Bool {
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            if lhs.slot.column != rhs.slot.column { return lhs.slot.column < rhs.slot.column }
            return !lhs.slot.countsNegatively && rhs.slot.countsNegatively
        }
    }
}
