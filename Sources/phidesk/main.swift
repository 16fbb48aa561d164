import Foundation
import PhideskCrypto

#if canImport(Glibc)
import Glibc
#endif

// Core dumps off and SIGPIPE ignored before any secret exists in this process.
guard ProcessHardening.apply() == 0 else {
    FileHandle.standardError.write(
        Data("phidesk: cannot disable core dumps; refusing to run\n".utf8))
    exit(1)
}

let status = CommandLineTool(environment: ProcessInfo.processInfo.environment)
    .run(Array(CommandLine.arguments.dropFirst()))
exit(status)
