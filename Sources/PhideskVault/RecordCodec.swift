/// The plaintext layout of a stored resource, before sealing:
///
/// ```
/// u8  layout version (1)
/// u8  flags (bit 0: carries a modifierExtension the app cannot interpret)
/// u8  byte count of the resource type, then its ASCII bytes
/// u16 big-endian byte count of fullUrl, then its UTF-8 bytes (0 when absent)
/// ... the resource's JSON, exactly as imported
/// ```
/// A binary prefix rather than a JSON wrapper keeps the resource bytes untouched and
/// costs no parsing on read.
struct StoredRecord {
    static let layoutVersion: UInt8 = 1
    static let flagUnknownModifier: UInt8 = 1

    var resourceType: String
    var fullUrl: String?
    var flags: UInt8
    var resource: [UInt8]

    var hasUnknownModifier: Bool { flags & Self.flagUnknownModifier != 0 }

    func encoded() -> [UInt8] {
        let url = Array((fullUrl ?? "").utf8.prefix(Int(UInt16.max)))
        let type = Array(resourceType.utf8.prefix(Int(UInt8.max)))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5 + type.count + url.count + resource.count)
        bytes.append(Self.layoutVersion)
        bytes.append(flags)
        bytes.append(UInt8(type.count))
        bytes.append(contentsOf: type)
        bytes.append(UInt8(url.count >> 8))
        bytes.append(UInt8(url.count & 0xff))
        bytes.append(contentsOf: url)
        bytes.append(contentsOf: resource)
        return bytes
    }

    /// Decodes; nil when the layout is not one this build wrote.
    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 5, bytes[0] == Self.layoutVersion else { return nil }
        flags = bytes[1]
        let typeCount = Int(bytes[2])
        let urlStart = 3 + typeCount + 2
        guard bytes.count >= urlStart else { return nil }
        resourceType = String(decoding: bytes[3..<(3 + typeCount)], as: UTF8.self)
        let urlCount = Int(bytes[3 + typeCount]) << 8 | Int(bytes[4 + typeCount])
        guard bytes.count >= urlStart + urlCount else { return nil }
        fullUrl = urlCount == 0
            ? nil : String(decoding: bytes[urlStart..<(urlStart + urlCount)], as: UTF8.self)
        resource = Array(bytes[(urlStart + urlCount)...])
    }

    init(resourceType: String, fullUrl: String?, flags: UInt8, resource: [UInt8]) {
        self.resourceType = resourceType
        self.fullUrl = fullUrl
        self.flags = flags
        self.resource = resource
    }

    /// AAD binding a sealed record to its row: moving the box to another record id,
    /// patient, logical key (resource type + id) or version makes it fail to open.
    static func aad(recordID: [UInt8], patientID: [UInt8]?, logicalKey: [UInt8], version: Int64)
        -> [UInt8]
    {
        var aad = Array("phidesk.record.v1".utf8)
        aad += recordID
        aad += patientID ?? [UInt8](repeating: 0, count: 16)
        aad += logicalKey
        withUnsafeBytes(of: UInt64(version).bigEndian) { aad += $0 }
        return aad
    }
}
