import Foundation
import PhideskDesktop

exit(DesktopMain.run(Array(CommandLine.arguments.dropFirst())))
