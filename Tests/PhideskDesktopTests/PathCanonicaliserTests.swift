import Foundation
import Testing

@testable import PhideskDesktop

/// The `app://` path rules, without a display.
struct PathCanonicaliserTests {
    @Test(arguments: [
        "/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/x.js", "/%252e%252e/x.js",
        "/..%2fetc%2fpasswd", "/a%2fb.js", "/index.html%00.js", "/%00", "//etc/passwd",
        "/a//b.js", "/app.js/", "/..\\etc", "/%5c..%5cx.js", "/.hidden.js", "/./app.js",
        "/%", "/%2", "/%zz.js", "/%C0%AE%C0%AE/x.js", "etc/passwd", "/a%0a.js", "/c:%5cx.js",
    ])
    func refused(path: String) {
        #expect(PathCanonicaliser.segments(ofEncodedPath: path) == nil)
    }

    @Test func acceptsPlainPaths() {
        #expect(PathCanonicaliser.segments(ofEncodedPath: "/") == ["index.html"])
        #expect(PathCanonicaliser.segments(ofEncodedPath: "/app.js") == ["app.js"])
        #expect(PathCanonicaliser.segments(ofEncodedPath: "/img/a%20b.png") == ["img", "a b.png"])
    }

    @Test func resolveStaysInsideRootAndTypes() throws {
        let root = NSTemporaryDirectory() + "phidesk-canon-\(UUID().uuidString)"
        let ui = root + "/ui"
        let files = FileManager.default
        try files.createDirectory(atPath: ui + "/sub", withIntermediateDirectories: true)
        defer { try? files.removeItem(atPath: root) }
        files.createFile(atPath: ui + "/index.html", contents: Data("x".utf8))
        files.createFile(atPath: ui + "/sub/a.js", contents: Data("x".utf8))
        files.createFile(atPath: ui + "/notes.txt", contents: Data("x".utf8))
        files.createFile(atPath: root + "/outside.js", contents: Data("x".utf8))
        try files.createSymbolicLink(atPath: ui + "/escape.js",
                                     withDestinationPath: root + "/outside.js")
        try files.createSymbolicLink(atPath: ui + "/out", withDestinationPath: root)
        try files.createSymbolicLink(atPath: ui + "/inner.js",
                                     withDestinationPath: ui + "/sub/a.js")
        try files.createSymbolicLink(atPath: ui + "/text.js",
                                     withDestinationPath: ui + "/notes.txt")

        #expect(PathCanonicaliser.resolve(["index.html"], under: ui) != nil)
        #expect(PathCanonicaliser.resolve(["sub", "a.js"], under: ui) != nil)
        #expect(PathCanonicaliser.resolve(["inner.js"], under: ui) != nil)
        #expect(PathCanonicaliser.resolve(["notes.txt"], under: ui) == nil)
        #expect(PathCanonicaliser.resolve(["escape.js"], under: ui) == nil)
        #expect(PathCanonicaliser.resolve(["out", "outside.js"], under: ui) == nil)
        #expect(PathCanonicaliser.resolve(["text.js"], under: ui) == nil)
        #expect(PathCanonicaliser.resolve(["sub"], under: ui) == nil)
        #expect(PathCanonicaliser.resolve(["missing.js"], under: ui) == nil)
    }

    @Test func encodedPathOfURI() {
        #expect(AppScheme.encodedPath(of: "app://phidesk/app.js?x=1#y") == "/app.js")
        #expect(AppScheme.encodedPath(of: "app://other/app.js") == nil)
        #expect(AppScheme.encodedPath(of: "app://phidesk.evil/app.js") == nil)
    }
}
