/// Help texts, short and example-led. Snapshot-tested, so edit with the tests.
enum Help {
    static let main = """
        OVERVIEW: Keep FHIR R4 health records in an encrypted, audited vault.

        USAGE: phidesk [--vault DIR] [--passphrase-file FILE | --passphrase-fd N] COMMAND

        COMMANDS:
          init                  Create a new vault (asks for a new passphrase).
          import PATH...        Import FHIR JSON files or folders of them.
          search [NAME]         Find patients by name, birth date or identifier.
          show PATIENT          Print a patient's chart summary.
          export PATIENT        Write a patient's resources as a FHIR Bundle to stdout.
          audit verify          Check the audit trail's tamper-evident chain.
          audit tail [-n N]     Print the last N audit events (default 20).
          vault check           Check storage, every record and the audit chain.

        OPTIONS:
          --vault DIR           Vault folder (default: $PHIDESK_VAULT, else
                                $XDG_DATA_HOME/phidesk, else ~/.local/share/phidesk).
          --passphrase-file F   Read the passphrase from the first line of F.
          --passphrase-fd N     Read the passphrase from file descriptor N.
          --json                Print data as JSON (search, show, import, audit, check).
          -h, --help            Show help; `phidesk COMMAND --help` for a command.

        Without a passphrase option the passphrase is asked on the terminal. It is never
        taken from the command line. $PHIDESK_PASSPHRASE_FILE works like --passphrase-file.

        EXAMPLES:
          phidesk init
          phidesk import samples/
          phidesk search mejia
          phidesk search --family "o'hara" --birth-date 2021-04-03 --json
          phidesk show 5d0c2f9e8a7b4c3d2e1f0a9b8c7d6e5f
          phidesk export 5d0c2f9e8a7b4c3d2e1f0a9b8c7d6e5f > patient.json

        EXIT STATUS: 0 success, 1 failure, 2 usage error, 3 wrong passphrase,
        4 integrity problem found (tampered record or audit chain).
        """

    static let commands: [String: String] = [
        "init": """
            USAGE: phidesk init [--vault DIR]

            Creates an empty vault protected by a new passphrase (at least 12 characters;
            Argon2id, 64 MiB, 3 passes). Asked twice on a terminal.
            """,
        "import": """
            USAGE: phidesk import [--json] PATH...

            Imports FHIR R4 JSON: Bundles (transaction, batch, collection, document) and
            single resources. A folder is searched for *.json files, in name order. Each
            file is all-or-nothing; importing the same file again changes nothing.
            Progress goes to stderr when it is a terminal.

            EXAMPLE: phidesk import samples/0-hospital.json samples/
            """,
        "search": """
            USAGE: phidesk search [NAME] [--family F] [--given G] [--birth-date YYYY-MM-DD]
                                  [--identifier ID] [--limit N] [--json]

            Criteria combine with AND. NAME matches a family or given name. Matching
            ignores case, accents and punctuation (mejia finds Mejía; ohara finds O'Hara248)
            and is whole-word: there is no substring search.

            EXAMPLE: phidesk search --family mejia --birth-date 1986-11-27
            """,
        "show": """
            USAGE: phidesk show PATIENT [--json]

            Prints demographics, active problems, medications, allergies and latest vitals.
            PATIENT is the 32-character id printed by `phidesk search`.
            """,
        "export": """
            USAGE: phidesk export PATIENT [-o FILE]

            Writes the patient's resources, exactly as imported, as a FHIR Bundle of type
            collection. The export is plaintext PHI: keep it somewhere protected.
            """,
        "audit": """
            USAGE: phidesk audit verify [--json]
                   phidesk audit tail [-n N] [--json]

            verify names the first bad sequence number if any event was modified, deleted,
            inserted, reordered or cut off the end (exit status 4).
            """,
        "vault": """
            USAGE: phidesk vault check [--json]

            Runs SQLite's integrity check, authenticates every stored record and verifies
            the audit chain. Exit status 4 when anything is wrong.
            """,
    ]
}
