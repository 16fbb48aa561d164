import Testing

@Test func placeholderCrypto() {
    #expect(Bool(true))
}
