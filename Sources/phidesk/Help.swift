/// Help texts, short and example-led. Snapshot-tested, so edit with the tests.
enum Help {
    static let main = """
        OVERVIEW: Keep FHIR R4 health records in an encrypted, audited vault.

        USAGE: phidesk [--vault DIR] [--passphrase-file FILE | --passphrase-fd N] COMMAND

        COMMANDS:
          init [ADMIN]          Create a vault and its first administrator (MFA enrolment).
          login [USER]          Sign in (password + authenticator code); the session locks
                                after 15 idle minutes and ends after 12 hours.
          logout                End the session at once.
          reauth                Confirm your identity again (export and other sensitive
                                actions need this within 5 minutes).
          whoami                Show the signed-in user, role and session.
          import PATH...        Import FHIR JSON files or folders of them.
          search [NAME]         Find patients by name, birth date or identifier.
          show PATIENT          Print a patient's chart summary (as your role may see it).
          export PATIENT        Write a patient's resources as a FHIR Bundle to stdout.
          user SUBCOMMAND       add | list | disable | enable | reset-password | reset-mfa |
                                unlock | set-roles (administrators).
          breakglass SUBCOMMAND start | end | review (emergency access, always reviewed).
          patient restrict ID   Restrict a record (VIP, staff): only break-glass opens it;
                                `patient unrestrict ID` lifts it.
          policy check FILE     Validate a role policy file.
          settings idle-timeout N  Lock idle sessions after N minutes (1-30; default 15).
          audit verify          Check the audit trail's tamper-evident chain.
          audit tail [-n N]     Print the last N audit events (default 20).
          vault check           Check storage, every record and the audit chain.

        OPTIONS:
          --vault DIR           Vault folder (default: $PHIDESK_VAULT, else
                                $XDG_DATA_HOME/phidesk, else ~/.local/share/phidesk).
          --passphrase-file F   The installation passphrase (init only), from file F.
          --password-file F     Your password, from the first line of F (or --password-fd N).
          --code CODE           The authenticator code (it is single-use and short-lived).
          --policy FILE         Role policy (default: $PHIDESK_POLICY, else the shipped one).
          --json                Print data as JSON.
          -h, --help            Show help; `phidesk COMMAND --help` for a command.

        Passwords and passphrases are asked on the terminal when no file is given, and are
        never taken from the command line. $PHIDESK_PASSWORD_FILE and
        $PHIDESK_PASSPHRASE_FILE work like the options. $PHIDESK_ALERT_SINK names a file
        (or `|command`) that receives security alerts.

        EXAMPLES:
          phidesk init admin
          phidesk login drgreen
          phidesk import samples/
          phidesk search mejia
          phidesk search --family "o'hara" --birth-date 2021-04-03 --json
          phidesk show 5d0c2f9e8a7b4c3d2e1f0a9b8c7d6e5f
          phidesk export 5d0c2f9e8a7b4c3d2e1f0a9b8c7d6e5f > patient.json

        EXIT STATUS: 0 success, 1 failure (including access denied), 2 usage error,
        3 sign-in failed or wrong passphrase, 4 integrity problem found (tampered record
        or audit chain).
        """

    static let commands: [String: String] = [
        "init": """
            USAGE: phidesk init [ADMIN] [--name "Display Name"] [--vault DIR]

            Creates an empty vault. The installation passphrase (at least 12 characters;
            Argon2id, 64 MiB, 3 passes) is the recovery key: keep it offline. Then creates
            the first administrator (default login: admin) and prints their authenticator
            QR code and 10 recovery codes, once.
            """,
        "login": """
            USAGE: phidesk login [USER] [--role ROLE] [--code CODE | --recovery-code]

            Signs in with your password and authenticator code (each code works once).
            The session is kept for later commands in $XDG_RUNTIME_DIR, sealed with a key
            held by the kernel keyring; it locks after 15 idle minutes and ends after 12 h.
            Five failed sign-ins in 15 minutes lock the account for 15 minutes, doubling
            each time.
            """,
        "user": """
            USAGE: phidesk user add LOGIN --role ROLE [--name NAME]
                   phidesk user list [--json]
                   phidesk user disable|enable|unlock|reset-password|reset-mfa LOGIN
                   phidesk user set-roles LOGIN --role ROLE [--role ROLE]

            Administrators only, within 5 minutes of signing in (or `phidesk reauth`).
            Passwords: at least 12 characters, not your name, not a common password.
            """,
        "logout": """
            USAGE: phidesk logout

            Ends your session at once: the session key is destroyed in the kernel keyring
            and the sealed session file removed.
            """,
        "reauth": """
            USAGE: phidesk reauth [--password-file F] [--code CODE | --recovery-code]

            Confirms your identity again (password and a fresh authenticator code).
            Export, break-glass and user changes need this within the last 5 minutes.
            Failures count towards the account lockout like failed sign-ins.
            """,
        "whoami": """
            USAGE: phidesk whoami [--json]

            Prints the signed-in user id, role, session id, how you signed in, when the
            session ends, and any running break-glass grant.
            """,
        "patient": """
            USAGE: phidesk patient restrict|unrestrict PATIENT

            Restricts a record (VIP, staff member): it then opens only under a break-glass
            grant covering it, and search shows "(restricted record)". Needs the
            patient.restrict permission (administrators).
            """,
        "policy": """
            USAGE: phidesk policy check FILE

            Validates a role policy file: unknown permissions, resource types, views or
            field paths are errors, each named with its role, type and path.
            """,
        "settings": """
            USAGE: phidesk settings idle-timeout MINUTES

            Sets how long a session may sit idle before it locks (1 to 30 minutes;
            default 15). Administrators only, within 5 minutes of signing in.
            """,
        "breakglass": """
            USAGE: phidesk breakglass start --reason CODE [--patient ID] [--note-file F]
                                            [--minutes N (at most 60)]
                   phidesk breakglass end
                   phidesk breakglass review [--all] [--json]
                   phidesk breakglass review --close GRANT [--note-file F]

            Emergency access beyond your role's view, and to restricted patients, for at
            most one hour. Reasons: emergency-treatment, patient-safety,
            continuity-of-care, legal-requirement, plus a written note. Raises an alert
            at once; an administrator or auditor must review every grant.
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
