// swift-tools-version:6.0
import PackageDescription

// Layering (bottom to top):
//   C system libraries (COpenSSL, CArgon2, CSQLite, CJSONC, COATH, CQRencode) + one C shim
//   (CPhideskShims)
//   -> modules with one job each (PhideskCrypto, PhideskStore, PhideskFHIR, PhideskAudit,
//      PhideskAuth for MFA and passwords, PhideskPolicy for roles and projections)
//   -> key hierarchy (PhideskKeys) -> vault facade (PhideskVault)
//   -> CLI (phidesk) and desktop broker (PhideskDesktop over GTK 4/WebKitGTK 6 through
//      CGTKWebKit + CDesktopShims; executable phidesk-desktop).
// Beside the stack: PhideskResources (finds bundled resource folders), PhideskSampleData
// (synthetic test data for tests, benchmarks and hidden test modes), phidesk-bench.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "phidesk",
    products: [
        .executable(name: "phidesk", targets: ["phidesk"]),
        .executable(name: "phidesk-desktop", targets: ["phidesk-desktop"]),
        .library(name: "PhideskVault", targets: ["PhideskVault"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .systemLibrary(
            name: "COATH",
            pkgConfig: "liboath",
            providers: [.apt(["liboath-dev"])]
        ),
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .systemLibrary(
            name: "CGTKWebKit",
            pkgConfig: "webkitgtk-6.0",
            providers: [.apt(["libwebkitgtk-6.0-dev", "libgtk-4-dev"])]
        ),
        .target(
            name: "CDesktopShims",
            dependencies: ["CGTKWebKit"]
        ),
        .target(
            name: "CPhideskShims",
            dependencies: ["CSQLite"]
        ),
        .target(
            name: "PhideskCrypto",
            dependencies: ["COpenSSL", "CArgon2", "CPhideskShims"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskStore",
            dependencies: ["CSQLite", "CPhideskShims"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskFHIR",
            dependencies: ["CJSONC", "CPhideskShims"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskAuth",
            dependencies: ["PhideskCrypto", "COATH", "CQRencode"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskResources",
            swiftSettings: strict
        ),
        .target(
            name: "PhideskPolicy",
            dependencies: ["PhideskFHIR", "CJSONC", "PhideskResources"],
            resources: [.copy("default-policy.json")],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskAudit",
            dependencies: ["PhideskCrypto"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskKeys",
            dependencies: ["PhideskCrypto", "CPhideskShims"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskVault",
            dependencies: ["PhideskCrypto", "PhideskKeys", "PhideskStore", "PhideskFHIR",
                           "PhideskAudit", "PhideskAuth", "PhideskPolicy"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "phidesk",
            dependencies: ["PhideskVault", "PhideskCrypto", "PhideskKeys", "PhideskAudit",
                           "PhideskFHIR"],
            swiftSettings: strict
        ),
        .target(
            name: "PhideskSampleData",
            swiftSettings: strict
        ),
        .target(
            name: "PhideskDesktop",
            dependencies: ["CGTKWebKit", "CDesktopShims", "PhideskVault", "PhideskPolicy",
                           "PhideskFHIR", "PhideskAudit", "PhideskCrypto", "PhideskAuth",
                           "PhideskKeys", "PhideskSampleData", "PhideskResources"],
            resources: [.copy("UI")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "phidesk-desktop",
            dependencies: ["PhideskDesktop", "PhideskCrypto"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "phidesk-bench",
            dependencies: ["PhideskVault", "PhideskCrypto", "PhideskStore", "PhideskFHIR",
                           "PhideskAudit", "PhideskKeys", "PhideskAuth", "PhideskPolicy",
                           "PhideskSampleData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskCryptoTests",
            dependencies: ["PhideskCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskFHIRTests",
            dependencies: ["PhideskFHIR", "PhideskSampleData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskAuthTests",
            dependencies: ["PhideskAuth", "PhideskCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskPolicyTests",
            dependencies: ["PhideskPolicy", "PhideskFHIR", "PhideskSampleData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskAuditTests",
            dependencies: ["PhideskAudit", "PhideskCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskDesktopTests",
            dependencies: ["PhideskDesktop", "PhideskVault", "PhideskPolicy", "PhideskAudit",
                           "PhideskCrypto", "PhideskKeys", "PhideskSampleData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PhideskVaultTests",
            dependencies: ["PhideskVault", "PhideskCrypto", "PhideskKeys", "PhideskStore",
                           "PhideskFHIR", "PhideskAudit", "PhideskAuth", "PhideskPolicy",
                           "PhideskSampleData"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
