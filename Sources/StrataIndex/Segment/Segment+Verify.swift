import CStrataShims

extension Segment {
    /// Checks every section against its checksum, the upper-level offset table, and the
    /// graph's structure (``HNSWGraph/checkIntegrity()``).
    ///
    /// - Returns: every problem found, each naming the section or slot; empty when sound.
    /// - Complexity: reads the whole file.
    public func verify() -> [String] {
        var problems: [String] = []
        for section in SegmentSection.allCases {
            let entry = header.sections[section.rawValue]
            let computed = strata_crc32c(0, mapping + entry.offset, entry.length)
            if computed != entry.checksum {
                problems.append("section \(section) checksum mismatch (stored \(hex(entry.checksum)), computed \(hex(computed))): bytes \(entry.offset)..<\(entry.offset + entry.length) are corrupted")
            }
        }
        // Padding between sections and after the header must be zero, and nothing may follow
        // the last section, so that every byte of the file is checked by something.
        var previousEnd = SegmentHeader.size
        for section in SegmentSection.allCases {
            let entry = header.sections[section.rawValue]
            if let bad = (previousEnd..<entry.offset).first(where: { mapping.load(fromByteOffset: $0, as: UInt8.self) != 0 }) {
                problems.append("padding byte \(bad) before section \(section) is not zero: the file is corrupted")
            }
            previousEnd = entry.offset + entry.length
        }
        if fileBytes != previousEnd {
            problems.append("\(fileBytes - previousEnd) bytes follow the last section: the file was appended to or corrupted")
        }
        guard problems.isEmpty else { return problems }
        // Offsets: start at 0, never decrease, whole levels, end exactly at the section's end.
        let stride = UInt64(m + 1)
        if view.upperOffsets[0] != 0 { problems.append("upperOffsets: slot 0 starts at word \(view.upperOffsets[0]), not 0") }
        for slot in 0..<slotCount {
            let begin = view.upperOffsets[slot], end = view.upperOffsets[slot + 1]
            if end < begin || (end - begin) % stride != 0 {
                problems.append("upperOffsets: slot \(slot) spans words \(begin)..<\(end), not whole levels of \(stride) words")
                break
            }
        }
        if view.upperOffsets[slotCount] != view.upperWords {
            problems.append("upperOffsets: the last slot ends at word \(view.upperOffsets[slotCount]) but upperLinks holds \(view.upperWords) words")
        }
        if slotCount > 0, view.level(header.entrySlot) != header.maxLevel {
            problems.append("entry point \(header.entrySlot) reaches level \(view.level(header.entrySlot)), not the top level \(header.maxLevel)")
        }
        let live = (0..<UInt32(slotCount)).reduce(0) { $0 + (view.isDeleted($1) ? 0 : 1) }
        if live != header.liveCount { problems.append("flags: \(live) live slots but the header says \(header.liveCount)") }
        guard problems.isEmpty else { return problems }
        let entry = slotCount > 0 ? (slot: header.entrySlot, level: header.maxLevel) : nil
        return GraphIntegrity.check(view, entry: entry) { [view] in view.level($0) }.problems
    }

    /// Live nodes no search from the entry point reaches (see ``HNSWGraph/unreachableCount()``).
    public func unreachableCount() -> Int {
        let entry = slotCount > 0 ? (slot: header.entrySlot, level: header.maxLevel) : nil
        return GraphIntegrity.check(view, entry: entry) { [view] in view.level($0) }.unreachable
    }
}
