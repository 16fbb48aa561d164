internal import CQRencode

/// A QR symbol as libqrencode produced it: a square of dark and light modules.
public struct QRMatrix: Equatable, Sendable {
    /// The QR version libqrencode chose (1…40); the width is `17 + 4 × version`.
    public let version: Int
    /// Modules per side, without any quiet zone.
    public let width: Int
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    /// Encodes `text` as 8-bit data at error-correction level M, picking the smallest
    /// version that fits (level M survives about 15 % damage, enough for a screen).
    ///
    /// - Warning: When `text` is an enrolment URI the matrix encodes the secret; do not
    ///   keep it longer than it takes to draw.
    public init(encoding text: String) throws(AuthError) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw .qrEncodingFailure
        }
        defer { QRcode_free(code) }

        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { throw .qrEncodingFailure }
        let count = width * width

        // Bit 0 of each byte is the module colour; the other bits describe its role.
        version = Int(code.pointee.version)
        self.width = width
        modules = (0..<count).map { data[$0] & 1 == 1 }
    }

    /// Whether the module at (`row`, `column`) is dark; outside the symbol counts as light.
    public func isDark(row: Int, column: Int) -> Bool {
        guard row >= 0, row < width, column >= 0, column < width else { return false }
        return modules[row * width + column]
    }

    /// Number of dark modules, for checking that a rendering kept every module.
    public var darkModuleCount: Int { modules.count(where: { $0 }) }
}

/// Draws QR codes on a terminal.
public enum TerminalQR {
    /// Light modules required around the symbol so scanners can find it (ISO/IEC 18004).
    public static let quietZone = 4

    public enum Style: Equatable, Sendable {
        /// Unicode half blocks (▀ ▄ █): two module rows per text row, so the code is square
        /// in a usual terminal font and half as tall as the ASCII form.
        case halfBlocks
        /// `##` per dark module and two spaces per light one, one text row per module row,
        /// for terminals or fonts without block elements.
        case ascii
    }

    /// Renders `matrix` with a quiet zone, one `String` per line joined by `\n`.
    ///
    /// Glyphs are drawn for dark modules, which suits dark text on a light background.
    /// `inverted` draws light modules instead, for light-on-dark terminals; the quiet zone
    /// is then drawn as well so the symbol keeps its light border.
    public static func render(
        _ matrix: QRMatrix,
        style: Style = .halfBlocks,
        inverted: Bool = false
    ) -> String {
        let side = matrix.width + 2 * quietZone

        // Coordinates include the quiet zone; rows past the end (odd side) are never inked.
        func inked(_ row: Int, _ column: Int) -> Bool {
            guard row < side else { return false }
            let dark = matrix.isDark(row: row - quietZone, column: column - quietZone)
            return dark != inverted
        }

        var lines: [String] = []
        switch style {
        case .halfBlocks:
            for row in stride(from: 0, to: side, by: 2) {
                var line = ""
                for column in 0..<side {
                    switch (inked(row, column), inked(row + 1, column)) {
                    case (true, true): line.append("█")
                    case (true, false): line.append("▀")
                    case (false, true): line.append("▄")
                    case (false, false): line.append(" ")
                    }
                }
                lines.append(line)
            }

        case .ascii:
            for row in 0..<side {
                var line = ""
                for column in 0..<side {
                    line.append(inked(row, column) ? "##" : "  ")
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Encodes and renders `text` in one step.
    ///
    /// - Warning: For an enrolment URI the result shows the secret; print it once.
    public static func render(
        _ text: String,
        style: Style = .halfBlocks,
        inverted: Bool = false
    ) throws(AuthError) -> String {
        render(try QRMatrix(encoding: text), style: style, inverted: inverted)
    }
}
