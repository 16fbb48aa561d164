#include "CPhideskShims.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int phidesk_harden_process(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) {
        return errno;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return errno;
    }
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        return errno;
    }
    return 0;
}

int phidesk_process_is_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

int phidesk_sqlite_bind_blob_copy(sqlite3_stmt *statement, int index,
                                  const void *bytes, int byteCount) {
    return sqlite3_bind_blob(statement, index, bytes, byteCount, SQLITE_TRANSIENT);
}

int phidesk_sqlite_bind_text_copy(sqlite3_stmt *statement, int index,
                                  const char *text, int byteCount) {
    return sqlite3_bind_text(statement, index, text, byteCount, SQLITE_TRANSIENT);
}

// Values from <linux/keyctl.h>, spelled out because libkeyutils is not a dependency.
#define PHIDESK_KEY_SPEC_USER_KEYRING (-4)
#define PHIDESK_KEYCTL_SET_TIMEOUT 15
#define PHIDESK_KEYCTL_SEARCH 10
#define PHIDESK_KEYCTL_READ 11
#define PHIDESK_KEYCTL_INVALIDATE 21

static long phidesk_result(long value) {
    return value < 0 ? -errno : value;
}

long phidesk_keyring_add(const char *description, const void *payload, size_t length) {
    return phidesk_result(syscall(SYS_add_key, "user", description, payload, length,
                                  PHIDESK_KEY_SPEC_USER_KEYRING));
}

long phidesk_keyring_search(const char *description) {
    return phidesk_result(syscall(SYS_keyctl, PHIDESK_KEYCTL_SEARCH,
                                  PHIDESK_KEY_SPEC_USER_KEYRING, "user", description, 0));
}

long phidesk_keyring_read(long serial, void *buffer, size_t capacity) {
    return phidesk_result(syscall(SYS_keyctl, PHIDESK_KEYCTL_READ, serial, buffer, capacity));
}

long phidesk_keyring_set_timeout(long serial, unsigned int seconds) {
    return phidesk_result(syscall(SYS_keyctl, PHIDESK_KEYCTL_SET_TIMEOUT, serial, seconds));
}

long phidesk_keyring_invalidate(long serial) {
    return phidesk_result(syscall(SYS_keyctl, PHIDESK_KEYCTL_INVALIDATE, serial));
}
