/* One bounds-checked reader for every wire format (IKE, pcap records, netlink).
 *
 * Every read checks `n > len - off`, which cannot overflow. The first failed read is
 * remembered (its absolute offset too, for "packet offset N" messages) and every later read
 * fails as well, so a decoder reads a whole structure and tests cur_ok() once instead of
 * scattering length checks. A child cursor (cur_sub) is bounded by a length field and keeps
 * the absolute offset of its parent, so errors deep in a payload chain still name the byte
 * of the original buffer. */
#ifndef LIBDIAG_CURSOR_H
#define LIBDIAG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *buf;
	size_t len;
	size_t off;
	size_t base;     /* absolute offset of buf[0] within the outermost buffer */
	bool failed;
	size_t fail_at;  /* absolute offset of the first read that did not fit */
};

void cur_init(struct cursor *c, const void *buf, size_t len);

/* Each returns false, leaves *out zeroed and marks the cursor failed when the read does
 * not fit or the cursor already failed. */
bool cur_u8(struct cursor *c, uint8_t *out);
bool cur_be16(struct cursor *c, uint16_t *out);
bool cur_be32(struct cursor *c, uint32_t *out);
bool cur_be64(struct cursor *c, uint64_t *out);
bool cur_le16(struct cursor *c, uint16_t *out);
bool cur_le32(struct cursor *c, uint32_t *out);
bool cur_bytes(struct cursor *c, void *out, size_t n);
/* Points *out at the next n bytes without copying. */
bool cur_ref(struct cursor *c, const uint8_t **out, size_t n);
bool cur_skip(struct cursor *c, size_t n);
/* Splits off the next n bytes as a child cursor and advances past them. On failure the
 * child is a failed, empty cursor. */
bool cur_sub(struct cursor *c, size_t n, struct cursor *child);

size_t cur_remaining(const struct cursor *c);
/* Absolute offset of the next byte to be read. */
size_t cur_pos(const struct cursor *c);
bool cur_ok(const struct cursor *c);
bool cur_done(const struct cursor *c); /* ok and nothing left */
/* Marks the cursor failed at the current position (a decoder found a bad value). */
void cur_fail(struct cursor *c);

#endif
