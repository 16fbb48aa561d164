import Testing

@Test func placeholderFHIR() {
    #expect(Bool(true))
}
