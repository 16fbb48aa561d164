import Foundation

#if canImport(Glibc)
import Glibc
#endif

// The crash reporter would print memory near registers (possibly decrypted records).
setenv("SWIFT_BACKTRACE", "enable=no", 1)

let arguments: Arguments
do {
    arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

if arguments.help {
    print(Arguments.usage)
    exit(0)
}
exit(BenchmarkRun(arguments: arguments).run())
