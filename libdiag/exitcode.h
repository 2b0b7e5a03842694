/* Exit statuses shared by every vpn-doctor tool, listed in every man page's EXIT STATUS.
 * 0-2 grade what a check found; 64 and up (sysexits.h) mean the tool could not run. */
#ifndef LIBDIAG_EXITCODE_H
#define LIBDIAG_EXITCODE_H

enum diag_exit {
	DIAG_EXIT_PASS = 0,         /* every finding passed (vpn-probe: something answered) */
	DIAG_EXIT_WARN = 1,         /* at least one warning (vpn-probe: nothing answered) */
	DIAG_EXIT_FAIL = 2,         /* at least one failure */
	DIAG_EXIT_USAGE = 64,       /* EX_USAGE: bad flag, target or port */
	DIAG_EXIT_DATAERR = 65,     /* EX_DATAERR: input data malformed */
	DIAG_EXIT_NOINPUT = 66,     /* EX_NOINPUT: input file missing or unreadable */
	DIAG_EXIT_UNAVAILABLE = 69, /* EX_UNAVAILABLE: a service or facility is missing */
	DIAG_EXIT_SOFTWARE = 70,    /* EX_SOFTWARE: internal error (out of memory, a bug) */
	DIAG_EXIT_OSERR = 71,       /* EX_OSERR: the system refused (fd limit, socket) */
	DIAG_EXIT_CANTCREAT = 73,   /* EX_CANTCREAT: an output file cannot be created */
	DIAG_EXIT_NOPERM = 77,      /* EX_NOPERM: needs a privilege it does not have */
};

#endif
