extension ChartSummary {
    /// A short plain-text rendering for a terminal: header, then aligned sections.
    /// Dates are cut to `YYYY-MM-DD`; long lists are capped with a "… more" line.
    public func renderText(maxItemsPerSection: Int = 20) -> String {
        var lines: [String] = [Self.oneLine(patient.displayName)]
        var facts: [String] = []
        facts.append("gender: " + Self.oneLine(patient.gender ?? "unknown"))
        facts.append("born: " + Self.oneLine(patient.birthDate ?? "unknown"))
        if patient.isDeceased {
            facts.append("deceased: " + (patient.deceasedDateTime.map(Self.day) ?? "yes"))
        }
        lines.append("  " + facts.joined(separator: "   "))

        let problemRows = problems.map { [Self.day($0.onset), $0.display] }
        lines += section("Active problems", rows: problemRows, limit: maxItemsPerSection)

        let medicationRows = medications.map { [Self.day($0.authoredOn), $0.display] }
        lines += section("Active medications", rows: medicationRows, limit: maxItemsPerSection)

        let allergyRows = allergies.map {
            [$0.display, $0.criticality ?? "-", $0.clinicalStatus ?? "-"]
        }
        lines += section("Allergies", rows: allergyRows, limit: maxItemsPerSection)

        let vitalRows = vitals.map { [$0.display, Self.valueText($0), Self.day($0.date)] }
        lines += section("Latest vitals", rows: vitalRows, limit: maxItemsPerSection)

        let countText = resourceCounts.map { "\($0.resourceType) \($0.count)" }
            .joined(separator: ", ")
        lines.append("")
        lines.append("Records (\(totalResources)): " + (countText.isEmpty ? "none" : countText))
        return lines.joined(separator: "\n") + "\n"
    }

    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }

    private func section(_ title: String, rows: [[String]], limit: Int) -> [String] {
        var lines = ["", "\(title) (\(rows.count))"]
        if rows.isEmpty {
            lines.append("  none")
            return lines
        }
        // A cell is one line: control characters (newlines included) from a record would
        // otherwise let it draw extra lines into the chart.
        let shown = rows.prefix(max(limit, 1)).map { $0.map(Self.oneLine) }
        let columns = shown.map(\.count).max() ?? 0
        // Width is measured in characters; wide (CJK) glyphs may misalign slightly.
        var widths = [Int](repeating: 0, count: columns)
        for row in shown {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], min(cell.count, 48))
            }
        }
        for row in shown {
            var cells: [String] = []
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                let padding = String(repeating: " ", count: max(widths[index] - cell.count, 0))
                cells.append(isLast ? cell : cell + padding)
            }
            lines.append("  " + cells.joined(separator: "  "))
        }
        if rows.count > shown.count {
            lines.append("  … \(rows.count - shown.count) more")
        }
        return lines
    }

    private static func valueText(_ vital: Vital) -> String {
        if vital.components.isEmpty {
            return [vital.value ?? "-", vital.unit].compactMap { $0 }.joined(separator: " ")
        }
        if let pressure = vital.bloodPressure {
            return [pressure.systolic + "/" + pressure.diastolic, pressure.unit]
                .compactMap { $0 }.joined(separator: " ")
        }
        // Otherwise each part is named: a bare "a/b" would leave the reader to guess.
        return vital.components.map {
            [$0.display + ":", $0.value ?? "-", $0.unit].compactMap { $0 }
                .joined(separator: " ")
        }.joined(separator: ", ")
    }

    private static func day(_ date: String?) -> String {
        guard let date else {
            return "----------"
        }
        return String(date.prefix(10))
    }
}
