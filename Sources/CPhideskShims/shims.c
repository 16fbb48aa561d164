#include "CPhideskShims.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

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
