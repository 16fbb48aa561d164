import Foundation

/// Turns the path of an `app://phidesk/…` URL into a file inside the bundled UI folder,
/// or nothing. Pure and strict: anything unusual is refused rather than repaired, because
/// the request comes from the untrusted renderer.
public enum PathCanonicaliser {
    /// Extensions the UI may load, with the MIME type they are served as; others are 404.
    ///
    /// Bare types, no `; charset=` parameter: webkit_uri_scheme_response_set_content_type
    /// stores the string as the response's MIME type verbatim. The text is UTF-8 anyway:
    /// index.html has `<meta charset="utf-8">`, stylesheets inherit the document's
    /// encoding and module scripts are always UTF-8. (AppScheme also sends the type as a
    /// Content-Type header: WebKit's nosniff stylesheet check reads the header.)
    public static let mimeTypes: [String: String] = [
        "html": "text/html",
        "css": "text/css",
        "js": "text/javascript",
        "svg": "image/svg+xml",
        "png": "image/png",
        "woff2": "font/woff2",
        "json": "application/json",
    ]

    /// The path segments of an encoded URL path (as in the URL, `/` first), or nil.
    ///
    /// Percent-decodes exactly once; a `%` left after decoding means double encoding and
    /// is refused, as are `.`/`..` and hidden segments, empty segments (`//`, a trailing
    /// `/`), backslashes, NUL and control characters, raw or encoded. `/` alone is the
    /// index page.
    public static func segments(ofEncodedPath path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        let body = path.dropFirst()
        if body.isEmpty { return ["index.html"] }
        var result: [String] = []
        // Split before decoding: an encoded `/` (%2F) must not create a segment boundary,
        // and is then refused below as a `/` inside a segment.
        for raw in body.split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = decodeOnce(raw), isAcceptable(segment) else { return nil }
            result.append(segment)
        }
        return result
    }

    /// The real path of the file `segments` names under `root`, if it exists, is a
    /// regular file, stays under `root` after resolving symlinks and has an allowed type.
    public static func resolve(_ segments: [String], under root: String) -> String? {
        guard let realRoot = realPath(root),
            let ext = segments.last?.split(separator: ".").last.map(String.init),
            segments.last?.contains(".") == true, mimeTypes[ext.lowercased()] != nil
        else { return nil }
        let candidate = realRoot + "/" + segments.joined(separator: "/")
        guard let real = realPath(candidate), real.hasPrefix(realRoot + "/") else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // The resolved name decides the type: a symlink `a.html -> b.txt` is not html.
        guard let realExt = real.split(separator: ".").last, real.contains("."),
            mimeTypes[realExt.lowercased()] != nil
        else { return nil }
        return real
    }

    /// The MIME type for a resolved file path.
    public static func mimeType(of path: String) -> String? {
        guard let ext = path.split(separator: ".").last else { return nil }
        return mimeTypes[ext.lowercased()]
    }

    // MARK: - Helpers

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Strict single percent-decoding: `%` must be followed by two hex digits and the
    /// result must be UTF-8.
    static func decodeOnce(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue),
                let low = iterator.next().flatMap(hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func isAcceptable(_ segment: String) -> Bool {
        guard !segment.isEmpty, !segment.hasPrefix("."), segment.utf8.count <= 255 else {
            return false
        }
        return segment.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x7F && byte != UInt8(ascii: "%")
                && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "/")
                && byte != UInt8(ascii: ":")
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
