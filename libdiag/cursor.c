#include "libdiag/cursor.h"

#include <string.h>

void cur_init(struct cursor *c, const void *buf, size_t len)
{
	c->buf = buf;
	c->len = buf ? len : 0;
	c->off = 0;
	c->base = 0;
	c->failed = false;
	c->fail_at = 0;
}

void cur_fail(struct cursor *c)
{
	if (!c->failed) {
		c->failed = true;
		c->fail_at = c->base + c->off;
	}
}

/* The only length test in the file: `n > len - off` cannot wrap because off <= len. */
static const uint8_t *take(struct cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->failed || n > c->len - c->off) {
		cur_fail(c);
		return NULL;
	}
	p = c->buf + c->off;
	c->off += n;
	return p;
}

bool cur_u8(struct cursor *c, uint8_t *out)
{
	const uint8_t *p = take(c, 1);

	*out = p ? p[0] : 0;
	return p != NULL;
}

bool cur_be16(struct cursor *c, uint16_t *out)
{
	const uint8_t *p = take(c, 2);

	*out = p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
	return p != NULL;
}

bool cur_be32(struct cursor *c, uint32_t *out)
{
	const uint8_t *p = take(c, 4);

	*out = p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
	return p != NULL;
}

/* One 8-byte take, not two 4-byte reads: a short buffer must fail at the start of the
 * value without consuming half of it. */
bool cur_be64(struct cursor *c, uint64_t *out)
{
	const uint8_t *p = take(c, 8);

	*out = 0;
	for (int i = 0; p && i < 8; i++)
		*out = *out << 8 | p[i];
	return p != NULL;
}

bool cur_le16(struct cursor *c, uint16_t *out)
{
	const uint8_t *p = take(c, 2);

	*out = p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
	return p != NULL;
}

bool cur_le32(struct cursor *c, uint32_t *out)
{
	const uint8_t *p = take(c, 4);

	*out = p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
	return p != NULL;
}

bool cur_bytes(struct cursor *c, void *out, size_t n)
{
	const uint8_t *p = take(c, n);

	if (p)
		memcpy(out, p, n);
	else if (n)
		memset(out, 0, n);
	return p != NULL;
}

bool cur_ref(struct cursor *c, const uint8_t **out, size_t n)
{
	*out = take(c, n);
	return *out != NULL;
}

bool cur_skip(struct cursor *c, size_t n)
{
	return take(c, n) != NULL;
}

bool cur_sub(struct cursor *c, size_t n, struct cursor *child)
{
	size_t start = c->base + c->off;
	const uint8_t *p = take(c, n);

	cur_init(child, p, p ? n : 0);
	child->base = start;
	if (!p)
		cur_fail(child);
	return p != NULL;
}

size_t cur_remaining(const struct cursor *c)
{
	return c->failed ? 0 : c->len - c->off;
}

size_t cur_pos(const struct cursor *c)
{
	return c->base + c->off;
}

bool cur_ok(const struct cursor *c)
{
	return !c->failed;
}

bool cur_done(const struct cursor *c)
{
	return !c->failed && c->off == c->len;
}
