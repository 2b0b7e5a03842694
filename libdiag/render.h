/* What the text, JSON and Markdown renderers share. Internal to libdiag: front ends call
 * report_render (report.h). Every renderer writes into a memory stream, so one ferror()
 * at the end catches an allocation that failed anywhere in the output. */
#ifndef LIBDIAG_RENDER_H
#define LIBDIAG_RENDER_H

#include <stdio.h>

#include "libdiag/report.h"

/* Each returns a malloc'd NUL-terminated string, or NULL when memory runs out. */
char *render_text(const struct report *r, unsigned flags);
char *render_markdown(const struct report *r);
char *render_json(const struct report *r);

struct render_buf {
	FILE *f;
	char *s;
	size_t len;
};

/* False when the stream cannot be created. */
bool rbuf_open(struct render_buf *b);
/* Closes the stream and returns its text, or NULL (and frees it) if any write failed. */
char *rbuf_close(struct render_buf *b);
/* Closes the stream and throws the text away (a renderer gave up half way). */
void rbuf_abort(struct render_buf *b);

/* An evidence value as text: strings raw, numbers like %g but integers without ".0" and
 * without exponent up to 1e15, true/false, null, objects and arrays as compact JSON.
 * Returns a malloc'd string or NULL when memory runs out. */
char *render_value(const cJSON *v);
/* "0 findings", "1 finding: 1 fail", "5 findings: 2 pass, 1 warn, 2 fail" (non-zero
 * counts, least severe first). */
void render_counts(FILE *f, const struct report *r);

#endif
