import Testing

@Test func placeholderAudit() {
    #expect(Bool(true))
}
