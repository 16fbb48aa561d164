import CDesktopShims
import CGTKWebKit
import Foundation
import PhideskSampleData

/// Hidden `--screenshots DIR` mode: the real app on the attack suite's throwaway vault
/// (one synthetic Synthea patient), driven through the page, saving PNGs of the sign-in,
/// search results, patient summary and lock screens for docs/DESKTOP.md.
final class ScreenshotMode {
    /// A synthetic patient with active problems, medications, allergies and vitals, so the
    /// summary screenshot shows every section filled.
    static let patientBundle = "76f217df-3176-7627-8fef-e60a9b3574c2.json"

    private let app: DesktopApp
    private let fixture: AttackFixture
    private let folder: String
    private var steps: [(String, String?)] = []

    private init(app: DesktopApp, fixture: AttackFixture, folder: String) {
        self.app = app
        self.fixture = fixture
        self.folder = folder
    }

    static func run(options: Options, folder: String) -> Int32 {
        guard let ui = BundledUI.folder() else {
            return 1
        }
        let fixture: AttackFixture
        do {
            fixture = try AttackFixture()
            let bundle = try SampleDataLocation.fhirFile("synthea", patientBundle).path
            try fixture.build(bundledUI: ui, bundle: bundle)
        } catch {
            print(stderr: "screenshots: fixture failed: \(type(of: error))")
            return 1
        }
        defer { fixture.remove() }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let app = DesktopApp(options: options,
                             broker: Broker(location: fixture.location, policy: fixture.policy),
                             uiRoot: ui, linkOpener: RecordingLinkOpener())
        let mode = ScreenshotMode(app: app, fixture: fixture, folder: folder)
        app.onViewCreated = { app in BenchMode.whenReady(app) { mode.start() } }
        _ = app.run(unique: false)
        return 0
    }

    private func start() {
        let code = (try? fixture.code("dr.test")) ?? ""
        let family = fixture.patientFamily
        steps = [
            ("signin", nil),
            ("search", """
                const $ = (id) => document.getElementById(id);
                $('auth-login').value = \(AttackScripts.js("dr.test"));
                $('auth-password').value = \(AttackScripts.js(AttackFixture.password));
                $('auth-code').value = \(AttackScripts.js(code));
                $('auth-submit').click();
                await until(() => !$('view-search').hidden);
                $('search-name').value = \(AttackScripts.js(family));
                document.querySelector('#search-form button[type=submit]').click();
                await until(() => $('results-list').querySelector('button'));
                document.activeElement.blur();
                return 'ok';
                """),
            ("summary", """
                const $ = (id) => document.getElementById(id);
                $('results-list').querySelector('button').click();
                await until(() => !$('view-summary').hidden);
                await sleep(300);
                document.activeElement.blur();
                return 'ok';
                """),
            ("locked", """
                const $ = (id) => document.getElementById(id);
                $('lock-now').click();
                await until(() => !$('view-auth').hidden);
                await sleep(300);
                return 'ok';
                """),
        ]
        next()
    }

    private func next() {
        guard !steps.isEmpty, let view = app.webView else { return app.quit() }
        let (name, script) = steps.removeFirst()
        let shoot = { [self] in
            after(milliseconds: 400) { [self] in
                let path = folder + "/desktop-\(name).png"
                let wholePage = name == "summary"
                JavaScriptRunner.snapshot(view, to: path, wholePage: wholePage) {
                    [self] saved, error in
                    print(stderr: "screenshots: \(saved ?? error ?? "?")")
                    next()
                }
            }
        }
        guard let script else { return shoot() }
        JavaScriptRunner.run(AttackScripts.prelude + script, in: view) { _, _ in shoot() }
    }
}
