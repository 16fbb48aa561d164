// Thin C helpers for the few things Swift cannot call directly.
// Each one says why it exists; delete it when that reason goes away.
#ifndef PHIDESK_SHIMS_H
#define PHIDESK_SHIMS_H

#include <stddef.h>
#include <sqlite3.h>

// Sets RLIMIT_CORE to 0, PR_SET_DUMPABLE to 0 and ignores SIGPIPE.
// Why C: prctl() is variadic, which Swift cannot call.
// Returns 0 on success, or the errno of the first call that failed.
int phidesk_harden_process(void);

// Returns 1 when the process is not dumpable (PR_GET_DUMPABLE == 0). Why C: prctl().
int phidesk_process_is_dumpable(void);

// Why C: SQLITE_TRANSIENT is a macro casting -1 to a function pointer.
int phidesk_sqlite_bind_blob_copy(sqlite3_stmt *statement, int index,
                                  const void *bytes, int byteCount);
int phidesk_sqlite_bind_text_copy(sqlite3_stmt *statement, int index,
                                  const char *text, int byteCount);

// Linux kernel key retention service (keyrings). Why C: glibc has no wrappers and
// syscall() is variadic. These keep a CLI session key in the caller's user keyring, which
// the kernel scopes to the user id and can expire on its own.

// Adds (or replaces) a "user" key named `description` in the user keyring (@u).
// Returns the key serial (> 0), or -errno.
long phidesk_keyring_add(const char *description, const void *payload, size_t length);

// Finds a "user" key by name in the user keyring. Returns the serial, or -errno.
long phidesk_keyring_search(const char *description);

// Reads a key's payload into buffer (up to capacity). Returns the payload length, or -errno.
long phidesk_keyring_read(long serial, void *buffer, size_t capacity);

// Sets a key to expire `seconds` from now. Returns 0, or -errno.
long phidesk_keyring_set_timeout(long serial, unsigned int seconds);

// Invalidates (destroys) a key at once. Returns 0, or -errno.
long phidesk_keyring_invalidate(long serial);

#endif
