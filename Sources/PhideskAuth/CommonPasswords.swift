/// A small block-list of passwords people really choose that still pass the 12-character
/// minimum: keyboard walks, "password"/"welcome"/"iloveyou" padded with digits, seasons
/// with years, sports teams, names with digits, and workplace words for a clinic.
///
/// Entries are matched after folding (lower-case, letters and digits only), so each one
/// also blocks its variants in case, spacing and punctuation ("Password 1234!").
// LIMITATION: a few hundred guesses, not a breach corpus; leetspeak variants ("p4ssw0rd")
// are only blocked where listed.
enum CommonPasswords {
    static let entries: [String] = [
        // "password" and friends, padded to the minimum.
        "password1234", "password12345", "password123456", "password123!", "Password123!",
        "password!234", "passwordpassword", "password1password", "mypassword123",
        "mypassword1234", "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "P@ssw0rd2024",
        "newpassword123", "thisismypassword", "secretpassword", "supersecret123",
        "topsecret123", "changeme1234", "changeme123!", "changemenow1", "letmein12345",
        "letmein123456", "letmeinplease", "letmeinletmein", "adminadmin123", "administrator",
        "administrator1", "admin1234567", "admin@123456", "Admin@123456", "rootpassword",
        "defaultpassword", "temppassword1", "temporary123",
        // Keyboard walks, QWERTY, AZERTY and QWERTZ.
        "qwertyuiop12", "qwertyuiop123", "qwertyuiop1234", "qwertyuiopasdf",
        "qwertyuiopasdfgh", "qwertyuiopasdfghjkl", "qwerty123456", "qwerty1234567",
        "qwerty123456789", "qwertyqwerty1", "qwerty12345!", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
        "1qazxsw23edc", "zaq12wsxcde3", "!qaz@wsx#edc", "qazwsxedcrfv", "qazwsxedc123",
        "asdfghjkl123", "asdfghjkl1234", "asdfghjklqwerty", "zxcvbnm12345", "zxcvbnm123456",
        "zxcvbnmasdfgh", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4t5y6", "1234qwerasdf",
        "1234qwerasdfzxcv", "qwerasdfzxcv", "qweasdzxc123", "qweasdzxc1234", "azertyuiop12",
        "azerty123456", "qwertzuiop12", "qwertz123456", "poiuytrewq12", "mnbvcxz12345",
        "!@#$%^&*()_+1",
        // Digit and letter sequences the pattern rule does not catch on its own.
        "123456789abc", "abc123456789", "abcd12345678", "abc123abc123", "abcd1234abcd",
        "a1b2c3d4e5f6", "1a2b3c4d5e6f", "112233445566", "123456654321", "123321123321",
        "159753159753", "147258369147", "147852369123", "12345678987654321", "987654321123",
        "111222333444", "123412341234", "1234567890qwerty",
        // Affection and faith.
        "iloveyou1234", "iloveyou12345", "iloveyou!!!!", "iloveyou2024", "iloveyouforever",
        "iloveyousomuch", "iloveyoubaby", "iloveyoumom1", "ilovemyfamily", "ilovemykids1",
        "ilovemydog123", "ilovejesus123", "jesuschrist1", "godisgood1234", "blessed12345",
        "babygirl1234", "lovelove1234", "loveyou12345", "foreverlove1",
        // Welcome and greetings.
        "welcome12345", "welcome123456", "welcome1234!", "welcome2024!", "Welcome@2024",
        "welcomehome1", "welcome2clinic", "hello1234567", "helloworld12", "helloworld123",
        // Popular culture, sports, pets.
        "football1234", "football12345", "baseball1234", "basketball12", "basketball123",
        "superman1234", "batman123456", "starwars1234", "pokemon12345", "princess1234",
        "sunshine1234", "charlie12345", "monkey123456", "dragon123456", "shadow123456",
        "master123456", "whatever1234", "computer1234", "internet1234", "doctorwho123",
        "harrypotter1", "harrypotter123", "liverpool123", "manchesterunited", "chelsea12345",
        "arsenal12345", "barcelona123", "realmadrid12", "correcthorsebatterystaple",
        "thequickbrownfox", "onetwothreefour", "iamthebest123", "trustno1trustno1",
        // Workplace words a clinic's staff reach for.
        "nurse1234567", "hospital1234", "clinic123456", "doctor123456", "medical12345",
        "patient12345", "healthcare123", "reception123", "phidesk12345", "phidesk2024!",
    ]

    /// Seasons and months with a year, as staff pad them: "Summer2024!!", "January 2025".
    static let seasonal: [String] = {
        let words = [
            "spring", "summer", "autumn", "winter", "fall", "january", "february", "march",
            "april", "may", "june", "july", "august", "september", "october", "november",
            "december",
        ]
        return words.flatMap { word in (2015...2030).map { "\(word)\($0)" } }
    }()

    /// All entries in folded form, for exact comparison with a folded password.
    static let folded: Set<[UInt32]> = Set(
        (entries + seasonal).map { PasswordPolicy.fold($0.unicodeScalars.map(\.value)) })
}
