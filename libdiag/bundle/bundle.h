/* The support bundle: one OUT.tar.gz a support engineer attaches to a case. It holds the
 * report in its three renderings, the inputs the report was made from, and a picture of
 * the machine it ran on (interfaces, routes of every table, rules, the kernel's IPsec
 * policies and SAs without keys, resolv.conf, kernel, the sysctls IPsec cares about, the
 * pod's identity in Kubernetes, library versions), read from /proc, /sys, netlink and
 * libc only: no external command is run.
 *
 * Every text in it goes through the one redaction of libdiag/redact.c, with one redactor
 * shared by all of them: the secrets of every device configuration are learned first, then
 * those of every other input and of the environment variables, and only then is anything
 * written, so a pre-shared key found in swanctl.conf is also cut from a log line that
 * echoes it without a keyword. Captures are copied as they are. The file and every member
 * are mode 0600; the archive is written to a temporary file beside OUT and renamed over it
 * only when complete, so a failed run leaves no half bundle.
 *
 * A run that drops root (vpn-doctor --user) can neither create that file in a directory
 * only root may write nor read the kernel's IPsec state (XFRM dumps need CAP_NET_ADMIN at
 * the time the request is sent). So the privileged half opens the temporary file and fetches
 * the XFRM dump before the drop, and hands both to bundle_write_fd (the fd, and the dump
 * bytes in struct bundle_in); publishing the file is left to it.
 *
 * The tar format is POSIX ustar, written here; a name longer than ustar holds (100 bytes,
 * or a 155-byte prefix and 100-byte name split at a '/') gets a pax extended header
 * ("path=") before it. gzip comes from zlib. */
#ifndef LIBDIAG_BUNDLE_BUNDLE_H
#define LIBDIAG_BUNDLE_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/error.h"
#include "libdiag/exitcode.h"

/* sysexits.h EX_CANTCREAT: the bundle could not be created or written. */
#define BUNDLE_EXIT_CANTCREAT DIAG_EXIT_CANTCREAT

#define BUNDLE_MODE 0600
/* The most bytes of one input read: a larger one is an error, not a silent cut. */
#define BUNDLE_INPUT_MAX (256u << 20)

enum bundle_kind {
	BUNDLE_DEVCONF,  /* a device configuration, any vendor: REDACT_CONFIG, learned first */
	BUNDLE_AWS_JSON, /* describe-* JSON (with CustomerGatewayConfiguration XML inside) */
	BUNDLE_AWS_XML,  /* EC2 XML answers, the customer gateway configuration */
	BUNDLE_VPNLOG,   /* a tunnel log */
	BUNDLE_PCAP,     /* a capture: copied as it is */
	BUNDLE_TEXT,     /* anything else that is text */
};

struct bundle_file {
	const char *name_in_bundle; /* relative to inputs/: "config/swanctl.conf" */
	const char *path;           /* where to read it */
	enum bundle_kind kind;
};

struct bundle_in {
	const char *report_text, *report_json, *report_md; /* NULL: member left out */
	const struct bundle_file *files;
	size_t nfiles;
	bool collect_env; /* the env/ members, from this machine */
	/* have_xfrm_dump: env/xfrm.txt decodes these bytes (xfrm_dump_kernel's, keys already
	 * scrubbed, fetched earlier by a process allowed to) instead of asking the kernel,
	 * which refuses a process without CAP_NET_ADMIN. xfrm_dump_error non-NULL: that fetch
	 * failed, and env/xfrm.txt says "xfrm: " and this. Decoding is done here, never by
	 * the privileged fetcher. */
	bool have_xfrm_dump;
	const unsigned char *xfrm_dump;
	size_t xfrm_dump_len;
	const char *xfrm_dump_error;
};

/* Writes out_path (through a private temporary file beside it, renamed over it when
 * complete and fsync'ed). Returns 0, or -1 with err filled: 66 (DIAG_EXIT_NOINPUT) for an
 * input that cannot be read (where: its path), 73 (BUNDLE_EXIT_CANTCREAT) when out_path
 * cannot be created or written, 64 for a name_in_bundle that is empty, absolute or holds
 * "..", 70 when memory runs out. The messages never hold a secret. */
int bundle_write(const char *out_path, const struct bundle_in *in, struct diag_error *err);

/* The same archive written into fd (open for writing, empty, at offset 0; its mode is the
 * caller's), then fsync'ed. fd is neither closed nor renamed: the caller, which may hold
 * privileges this process no longer has, publishes or removes the file. Returns 0, or -1
 * with err filled as bundle_write does (73 with where "bundle" when fd cannot be written
 * or synced). */
int bundle_write_fd(int fd, const struct bundle_in *in, struct diag_error *err);

/* ---- the tar writer, public for its tests ---- */

#define BUNDLE_TAR_BLOCK 512

/* Fills one ustar header block for a regular file (typeflag '0') or a pax extended header
 * ('x'): name split into prefix and name when it must be, mode, uid and gid 0, size,
 * mtime, checksum, "ustar\0" "00". Returns 0, or -1 when the name does not fit ustar (the
 * caller writes a pax header first) or size does not fit 11 octal digits. */
int bundle_tar_header(unsigned char h[BUNDLE_TAR_BLOCK], const char *name, char type,
		      unsigned mode, uint64_t size, int64_t mtime);

/* The checksum a header block must carry (its chksum field counted as spaces). */
unsigned bundle_tar_checksum(const unsigned char h[BUNDLE_TAR_BLOCK]);

/* A pax extended header record "LEN path=NAME\n" for name into buf (size cap). Returns its
 * length, or 0 when it does not fit. */
size_t bundle_pax_path(char *buf, size_t cap, const char *name);

#endif
