import Testing

#if canImport(CQRencode)
import CQRencode
#endif

@testable import PhideskAuth

private let sampleURI = "otpauth://totp/phidesk:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    + "&issuer=phidesk&algorithm=SHA1&digits=6&period=30"

@Suite struct TerminalQRTests {
    @Test func matrixWidthMatchesVersion() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        #expect((1...40).contains(matrix.version))
        #expect(matrix.width == 17 + 4 * matrix.version)
        #expect(matrix.modules.count == matrix.width * matrix.width)
    }

    @Test func halfBlockDimensions() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let side = matrix.width + 2 * TerminalQR.quietZone
        let text = TerminalQR.render(matrix)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == (side + 1) / 2)
        for line in lines {
            #expect(line.count == side)
        }
    }

    @Test func asciiDimensions() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let side = matrix.width + 2 * TerminalQR.quietZone
        let text = TerminalQR.render(matrix, style: .ascii)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == side)
        for line in lines {
            #expect(line.count == 2 * side)
        }
    }

    @Test func halfBlocksKeepEveryDarkModule() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let text = TerminalQR.render(matrix)
        var drawn = 0
        for character in text {
            switch character {
            case "█": drawn += 2
            case "▀", "▄": drawn += 1
            case " ", "\n": break
            default: Issue.record("unexpected glyph \(character)")
            }
        }
        #expect(drawn == matrix.darkModuleCount)
        #expect(drawn > 0)
    }

    @Test func halfBlocksPlaceModulesWhereTheMatrixHasThem() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let quiet = TerminalQR.quietZone
        let lines = TerminalQR.render(matrix).split(separator: "\n").map { Array($0) }

        // Decode the glyphs back into a module grid and compare module by module.
        for row in 0..<matrix.width {
            for column in 0..<matrix.width {
                let glyph = lines[(row + quiet) / 2][column + quiet]
                let isTop = (row + quiet) % 2 == 0
                let dark = glyph == "█" || (isTop ? glyph == "▀" : glyph == "▄")
                #expect(dark == matrix.isDark(row: row, column: column))
            }
        }
    }

    @Test func quietZoneIsBlank() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let lines = TerminalQR.render(matrix).split(separator: "\n").map { Array($0) }
        #expect(lines[0].allSatisfy { $0 == " " })
        #expect(lines[1].allSatisfy { $0 == " " })
        #expect(lines.last!.allSatisfy { $0 == " " })
        for line in lines {
            #expect(line.prefix(4).allSatisfy { $0 == " " })
            #expect(line.suffix(4).allSatisfy { $0 == " " })
        }
    }

    @Test func asciiKeepsEveryDarkModuleAndInversionSwapsThem() throws {
        let matrix = try QRMatrix(encoding: sampleURI)
        let side = matrix.width + 2 * TerminalQR.quietZone
        let plain = TerminalQR.render(matrix, style: .ascii)
        let inverted = TerminalQR.render(matrix, style: .ascii, inverted: true)
        #expect(plain.filter { $0 == "#" }.count == 2 * matrix.darkModuleCount)
        #expect(inverted.filter { $0 == "#" }.count
            == 2 * (side * side - matrix.darkModuleCount))
    }

    @Test func finderPatternCornerIsDark() throws {
        // Every QR symbol starts with a 7×7 finder whose outer ring is dark.
        let matrix = try QRMatrix(encoding: "x")
        #expect(matrix.version == 1)
        #expect(matrix.isDark(row: 0, column: 0))
        #expect(matrix.isDark(row: 6, column: 6))
        #expect(!matrix.isDark(row: 1, column: 1))
    }
}

#if canImport(CQRencode)

@Suite struct LibqrencodeCrossCheckTests {
    /// Encodes with libqrencode directly and checks the rendering against its raw matrix,
    /// independently of `QRMatrix`'s own decoding of the bytes.
    @Test func renderingMatchesRawLibraryOutput() throws {
        let raw = try #require(QRcode_encodeString(sampleURI, 0, QR_ECLEVEL_M, QR_MODE_8, 1))
        defer { QRcode_free(raw) }
        let width = Int(raw.pointee.width)
        let data = try #require(raw.pointee.data)
        let rawDark = (0..<width * width).count { data[$0] & 1 == 1 }

        let text = try TerminalQR.render(sampleURI)
        var drawn = 0
        for character in text {
            drawn += character == "█" ? 2 : (character == "▀" || character == "▄" ? 1 : 0)
        }
        #expect(drawn == rawDark)
        #expect(text.split(separator: "\n").count == (width + 2 * TerminalQR.quietZone + 1) / 2)
        #expect(width == 17 + 4 * Int(raw.pointee.version))
    }
}
#endif
