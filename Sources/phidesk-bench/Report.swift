import Foundation

/// One line of a benchmark table: a measured figure and, when the product's issue sets
/// one, the target it is judged against.
struct ReportRow {
    enum Verdict: String {
        case pass = "pass"
        case fail = "**FAIL**"
        case none = "—"
    }

    var figure: String
    var value: String
    var target: String
    var verdict: Verdict

    init(_ figure: String, _ value: String, target: String = "—", verdict: Verdict = .none) {
        self.figure = figure
        self.value = value
        self.target = target
        self.verdict = verdict
    }

    /// A row judged by `passed`.
    static func judged(_ figure: String, _ value: String, target: String, passed: Bool)
        -> ReportRow
    {
        ReportRow(figure, value, target: target, verdict: passed ? .pass : .fail)
    }
}

/// The result of one benchmark: its table plus notes on method and caveats.
struct BenchmarkSection {
    var title: String
    var rows: [ReportRow] = []
    var notes: [String] = []
}

/// Renders the Markdown report.
struct Report {
    var command: String
    var date: String
    var mode: String
    var elapsedSeconds: Double = 0
    var machine: [(String, String)]
    var sections: [BenchmarkSection] = []

    func markdown() -> String {
        var lines = ["# phidesk benchmarks", ""]
        lines.append("- Command: `\(command)`")
        lines.append("- Date: \(date)")
        lines.append("- Mode: \(mode)")
        lines.append("- Total run time: \(Format.fixed(elapsedSeconds, 1)) s")
        lines.append("")
        lines.append("## Machine")
        lines.append("")
        lines.append("| Property | Value |")
        lines.append("|---|---|")
        for (key, value) in machine {
            lines.append("| \(key) | \(Format.cell(value)) |")
        }
        lines.append("")
        lines += summary()
        for section in sections {
            lines += render(section)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every judged row in one place, so a reader sees pass/fail without scrolling.
    private func summary() -> [String] {
        var lines = ["## Targets", "", "| Benchmark | Figure | Value | Target | Result |"]
        lines.append("|---|---|---|---|---|")
        for section in sections {
            for row in section.rows where row.verdict != .none {
                lines.append(
                    "| \(section.title) | \(row.figure) | \(row.value) | \(row.target) | "
                        + "\(row.verdict.rawValue) |")
            }
        }
        lines.append("")
        return lines
    }

    private func render(_ section: BenchmarkSection) -> [String] {
        var lines = ["## \(section.title)", "", "| Figure | Value | Target | Result |"]
        lines.append("|---|---|---|---|")
        for row in section.rows {
            lines.append(
                "| \(row.figure) | \(row.value) | \(row.target) | \(row.verdict.rawValue) |")
        }
        lines.append("")
        for note in section.notes {
            lines.append("- \(note)")
        }
        if !section.notes.isEmpty {
            lines.append("")
        }
        return lines
    }
}

/// Number formatting that does not depend on the locale.
enum Format {
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded() / scale
        let sign = value < 0 && rounded != 0 ? "-" : ""
        let whole = Int(rounded)
        guard digits > 0 else { return sign + grouped(whole) }
        let fraction = Int(((rounded - Double(whole)) * scale).rounded())
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return sign + grouped(whole) + "." + fractionText
    }

    /// Thousands separated by commas, for readability of large counts.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    static func milliseconds(_ seconds: Double) -> String {
        fixed(seconds * 1000, seconds < 0.01 ? 3 : 1) + " ms"
    }

    /// Keeps a table cell on one line.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ")
    }
}
