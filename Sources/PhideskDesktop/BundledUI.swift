import Foundation
import PhideskResources

/// The app's own UI files: `UI/` in the `phidesk_PhideskDesktop.resources` folder that
/// `swift build` writes beside the program, and an installation keeps there.
enum BundledUI {
    static let bundleName = "phidesk_PhideskDesktop.resources"

    /// The UI folder, or nil when the installation lacks it.
    static func folder() -> String? {
        ResourceBundle.find(bundleName)?.url(forResource: "UI", withExtension: nil)?.path
    }

    /// Where the folder should have been, for the error message.
    static var expectedPath: String {
        (ResourceBundle.searched(bundleName).first ?? bundleName) + "/UI"
    }
}
