/* The tar half of the bundle: POSIX ustar headers (pax "path=" records for long names)
 * written through zlib's gzip stream. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libdiag/bundle/bundle.h"
#include "libdiag/bundle/bundle_internal.h"

enum {
	OFF_NAME = 0, OFF_MODE = 100, OFF_UID = 108, OFF_GID = 116, OFF_SIZE = 124,
	OFF_MTIME = 136, OFF_CHKSUM = 148, OFF_TYPE = 156, OFF_MAGIC = 257, OFF_VERSION = 263,
	OFF_UNAME = 265, OFF_GNAME = 297, OFF_PREFIX = 345,
	LEN_NAME = 100, LEN_PREFIX = 155,
};

/* width-1 octal digits and a NUL; -1 when v needs more */
static int octal(unsigned char *f, size_t width, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%0*llo", (int)(width - 1), (unsigned long long)v);

	if (n < 0 || (size_t)n != width - 1)
		return -1;
	memcpy(f, tmp, width);
	return 0;
}

unsigned bundle_tar_checksum(const unsigned char h[BUNDLE_TAR_BLOCK])
{
	unsigned sum = 0;

	for (size_t i = 0; i < BUNDLE_TAR_BLOCK; i++)
		sum += i >= OFF_CHKSUM && i < OFF_CHKSUM + 8 ? ' ' : h[i];
	return sum;
}

/* Where to cut name into ustar's prefix and name: the index of the '/', or -1. */
static long split_at(const char *name, size_t n)
{
	if (n <= LEN_NAME)
		return 0;
	for (size_t i = 0; i < n && i <= LEN_PREFIX; i++)
		if (name[i] == '/' && n - i - 1 <= LEN_NAME && n - i - 1 > 0)
			return (long)i;
	return -1;
}

int bundle_tar_header(unsigned char h[BUNDLE_TAR_BLOCK], const char *name, char type,
		      unsigned mode, uint64_t size, int64_t mtime)
{
	size_t n = strlen(name);
	long cut = split_at(name, n);

	memset(h, 0, BUNDLE_TAR_BLOCK);
	if (cut < 0 || n == 0)
		return -1;
	if (n <= LEN_NAME) {
		memcpy(h + OFF_NAME, name, n);
	} else {
		memcpy(h + OFF_PREFIX, name, (size_t)cut);
		memcpy(h + OFF_NAME, name + cut + 1, n - (size_t)cut - 1);
	}
	if (octal(h + OFF_MODE, 8, mode & 07777) < 0 || octal(h + OFF_UID, 8, 0) < 0 ||
	    octal(h + OFF_GID, 8, 0) < 0 || octal(h + OFF_SIZE, 12, size) < 0 ||
	    octal(h + OFF_MTIME, 12, mtime > 0 ? (uint64_t)mtime : 0) < 0)
		return -1;
	h[OFF_TYPE] = (unsigned char)type;
	memcpy(h + OFF_MAGIC, "ustar", 6);
	memcpy(h + OFF_VERSION, "00", 2);
	memcpy(h + OFF_UNAME, "root", 4);
	memcpy(h + OFF_GNAME, "root", 4);
	snprintf((char *)h + OFF_CHKSUM, 8, "%06o", bundle_tar_checksum(h));
	h[OFF_CHKSUM + 7] = ' ';
	return 0;
}

size_t bundle_pax_path(char *buf, size_t cap, const char *name)
{
	size_t body = strlen(" path=") + strlen(name) + 1, len = body + 1;
	int w;

	/* the length counts its own digits */
	while (len != body + (size_t)snprintf(NULL, 0, "%zu", len))
		len = body + (size_t)snprintf(NULL, 0, "%zu", len);
	if (len >= cap)
		return 0;
	w = snprintf(buf, cap, "%zu path=%s\n", len, name);
	return w > 0 && (size_t)w == len ? len : 0;
}

static int put(struct bundle_tar *t, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (!t->failed && n > 0) {
		unsigned chunk = n > (1u << 30) ? 1u << 30 : (unsigned)n;
		int w = gzwrite(t->gz, b, chunk);

		if (w <= 0)
			t->failed = true;
		b += w > 0 ? w : 0;
		n -= w > 0 ? (size_t)w : n;
	}
	return t->failed ? -1 : 0;
}

static int pad(struct bundle_tar *t, uint64_t size)
{
	static const unsigned char zero[BUNDLE_TAR_BLOCK];
	size_t r = (size_t)(size % BUNDLE_TAR_BLOCK);

	return r ? put(t, zero, BUNDLE_TAR_BLOCK - r) : 0;
}

/* The header (and, for a long name, the pax header before it) of a member. */
static int header(struct bundle_tar *t, const char *name, uint64_t size)
{
	unsigned char h[BUNDLE_TAR_BLOCK];
	char rec[4200], shortname[LEN_NAME];
	size_t n;

	if (t->failed)
		return -1;
	if (bundle_tar_header(h, name, '0', BUNDLE_MODE, size, t->mtime) == 0)
		return put(t, h, sizeof h);
	if (!(n = bundle_pax_path(rec, sizeof rec, name)) ||
	    bundle_tar_header(h, "././@PaxHeader", 'x', BUNDLE_MODE, n, t->mtime) < 0 ||
	    put(t, h, sizeof h) < 0 || put(t, rec, n) < 0 || pad(t, n) < 0) {
		t->failed = true;
		return -1;
	}
	/* readers without pax see the name cut short */
	snprintf(shortname, sizeof shortname, "%s", name);
	if (bundle_tar_header(h, shortname, '0', BUNDLE_MODE, size, t->mtime) < 0) {
		t->failed = true;
		return -1;
	}
	return put(t, h, sizeof h);
}

int bundle_tar_add(struct bundle_tar *t, const char *name, const void *data, size_t len)
{
	if (header(t, name, len) < 0 || put(t, data, len) < 0 || pad(t, len) < 0)
		return -1;
	return 0;
}

int bundle_tar_add_fd(struct bundle_tar *t, const char *name, int fd, uint64_t size)
{
	unsigned char buf[65536];
	uint64_t left = size;
	int rc = 0;

	if (header(t, name, size) < 0)
		return -1;
	while (left > 0) {
		size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
		ssize_t r = rc ? 0 : read(fd, buf, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = -2;
		if (r <= 0) { /* shrank or unreadable: keep the archive's shape */
			memset(buf, 0, want);
			r = (ssize_t)want;
		}
		if (put(t, buf, (size_t)r) < 0)
			return -1;
		left -= (uint64_t)r;
	}
	if (pad(t, size) < 0)
		return -1;
	return rc;
}

int bundle_tar_end(struct bundle_tar *t)
{
	static const unsigned char zero[2 * BUNDLE_TAR_BLOCK];

	return put(t, zero, sizeof zero);
}
