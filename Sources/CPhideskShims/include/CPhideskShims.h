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

#endif
