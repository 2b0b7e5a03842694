/* The parts of the bundle writer: the tar stream (tar.c), the machine's picture (env.c)
 * and the assembly (bundle.c). Not for use outside libdiag/bundle. */
#ifndef LIBDIAG_BUNDLE_INTERNAL_H
#define LIBDIAG_BUNDLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "libdiag/bundle/bundle.h"

/* A tar stream through gzip. The first failure is remembered: every later call fails. */
struct bundle_tar {
	gzFile gz;
	int64_t mtime;
	bool failed;
};

/* One regular file of len bytes from data. Returns 0 or -1. */
int bundle_tar_add(struct bundle_tar *t, const char *name, const void *data, size_t len);
/* One regular file of exactly size bytes read from fd (a file that shrank is padded with
 * zeroes, one that grew is cut, so the archive stays well formed). Returns 0, -1 when the
 * archive cannot be written, or -2 when fd cannot be read. */
int bundle_tar_add_fd(struct bundle_tar *t, const char *name, int fd, uint64_t size);
/* The two zero blocks that end the archive. Returns 0 or -1. */
int bundle_tar_end(struct bundle_tar *t);

/* Receives one text of the environment: name in the bundle ("env/resolv.conf") and its
 * (unredacted) bytes. Returns 0, or -1 to stop. */
typedef int (*bundle_emit_fn)(void *arg, const char *name, const char *text, size_t len);

/* The machine's picture, member by member (env/...). Files that do not exist here (no
 * IPv6, not a pod) are left out. in->have_xfrm_dump: env/xfrm.txt comes from the dump in
 * in (see struct bundle_in), else from the kernel. Returns 0, or -1 when emit failed or
 * memory ran out. */
int bundle_env_collect(const struct bundle_in *in, bundle_emit_fn emit, void *arg);
/* versions.txt: this tool's version and the libraries it runs with. */
int bundle_versions(bundle_emit_fn emit, void *arg);

/* Dumps every route (rules 0) or every policy routing rule (rules 1) of this network
 * namespace over NETLINK_ROUTE; *out (malloc'd) holds the replies back to back. Returns 0,
 * or -1 with errno set. */
int bundle_nl_dump(int rules, uint8_t **out, size_t *len, int timeout_ms);
/* The routes and rules of a dump as text, one line each ("inet table 220 dst
 * 10.0.0.0/16 via ... dev ..."); a malformed message ends the text with a line saying
 * so. NULL when memory runs out. */
char *bundle_nl_text(const uint8_t *buf, size_t len);

#endif
