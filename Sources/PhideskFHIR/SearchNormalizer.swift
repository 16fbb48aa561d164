internal import Foundation

/// Normalisation for blind-index search keys.
///
/// The vault stores only keyed hashes of these keys, so indexing and querying
/// must normalise identically. Rules:
///
/// * **Fold**: Unicode compatibility decomposition (NFKD), combining marks dropped,
///   lower-cased: `Mejía` → `mejia`, full-width letters → ASCII.
/// * **Keep** only letters and digits of any script (`O'Hara` → `ohara`,
///   `张无忌` stays `张无忌`). Words are separated by white space and dashes.
/// * **Index keys** (`nameKeys`): the joined form of all words, each word on its
///   own, and each of those with Synthea's trailing numeric suffix stripped
///   (`O'Hara248` → `ohara248`, `ohara`; `María Eugenia` → `mariaeugenia`,
///   `maria`, `eugenia`).
/// * **Query key** (`queryKey`): the same fold and filter, joined, never stripped,
///   so a query always equals one of the index keys of a matching name.
///
/// LIMITATION: dropping combining marks also drops vowel signs in scripts such
/// as Devanagari; matching stays consistent, but distinct names may collide.
public enum SearchNormalizer {
    /// Index keys for one name string (a family name, a given name or a name text).
    public static func nameKeys(_ name: String) -> Set<String> {
        let words = foldedWords(name)
        var keys = Set<String>()
        let joined = words.joined()
        for candidate in [joined] + (words.count > 1 ? words : []) where !candidate.isEmpty {
            keys.insert(candidate)
            if let stripped = strippingNumericSuffix(candidate) {
                keys.insert(stripped)
            }
        }
        return keys
    }

    /// The key for a name query typed by a user: folded, letters and digits only.
    public static func queryKey(_ query: String) -> String {
        foldedWords(query).joined()
    }

    /// A birth date key: `YYYY-MM-DD` when it is a real calendar date, or the
    /// partial forms `YYYY-MM` / `YYYY` as typed; nil for anything else.
    public static func birthDateKey(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let lengths = [4, 2, 2]
        guard (1...3).contains(parts.count) else {
            return nil
        }
        var numbers: [Int] = []
        for (part, length) in zip(parts, lengths) {
            guard part.utf8.count == length, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let number = Int(part) else {
                return nil
            }
            numbers.append(number)
        }
        if numbers.count >= 2 && !(1...12).contains(numbers[1]) {
            return nil
        }
        if numbers.count == 3 && !(1...daysInMonth(numbers[1], year: numbers[0]))
            .contains(numbers[2]) {
            return nil
        }
        return trimmed
    }

    /// An identifier key: trimmed, case-folded, without white space and dashes,
    /// so `999-12-3456` and `999 12 3456` both give `999123456`.
    public static func identifierKey(_ text: String) -> String {
        let folded = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where !isSeparator(scalar) {
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Folded words containing only letters and digits; empty words are dropped.
    static func foldedWords(_ text: String) -> [String] {
        let decomposed = text.decomposedStringWithCompatibilityMapping
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            if isSeparator(scalar) {
                if !current.isEmpty {
                    words.append(String(current).lowercased())
                    current = String.UnicodeScalarView()
                }
            } else if isLetterOrDigit(scalar) {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            words.append(String(current).lowercased())
        }
        return words
    }

    /// `ohara248` → `ohara`; nil when there is no suffix or nothing would remain.
    static func strippingNumericSuffix(_ key: String) -> String? {
        let scalars = key.unicodeScalars
        guard let last = scalars.last, isDigit(last) else {
            return nil
        }
        let stem = String(String.UnicodeScalarView(scalars.reversed().drop(while: isDigit)
            .reversed()))
        return stem.isEmpty ? nil : stem
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .dashPunctuation
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter,
             .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
