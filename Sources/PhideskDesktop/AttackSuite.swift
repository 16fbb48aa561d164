/// Placeholder until the suite lands.
enum AttackSuite {
    static func run(options: Options, output: String) -> Int32 { 1 }
}
