#include "libdiag/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *report_render(const struct report *r, enum report_format fmt, unsigned flags)
{
	switch (fmt) {
	case REPORT_TEXT:
		return render_text(r, flags);
	case REPORT_JSON:
		return render_json(r);
	case REPORT_MARKDOWN:
		return render_markdown(r);
	}
	return NULL;
}

bool rbuf_open(struct render_buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->f = open_memstream(&b->s, &b->len);
	return b->f != NULL;
}

char *rbuf_close(struct render_buf *b)
{
	bool bad = ferror(b->f) != 0;

	/* fclose flushes, and a flush is where memstream grows its buffer. */
	if (fclose(b->f) != 0)
		bad = true;
	b->f = NULL;
	if (bad) {
		free(b->s);
		b->s = NULL;
	}
	return b->s;
}

void rbuf_abort(struct render_buf *b)
{
	fclose(b->f);
	b->f = NULL;
	free(b->s);
	b->s = NULL;
}

/* Integers print whole (a port is "500", not "5e+02"); other values use the shortest of
 * %.15g and %.17g that reads back as the same double, as cJSON does. Non-finite values
 * print "null", as they do in the JSON output. */
static void format_number(double d, char buf[40])
{
	if (!isfinite(d)) {
		snprintf(buf, 40, "null");
	} else if (d == 0) {
		snprintf(buf, 40, "0");
	} else if (d == trunc(d) && fabs(d) < 1e15) {
		snprintf(buf, 40, "%.0f", d);
	} else {
		snprintf(buf, 40, "%.15g", d);
		if (strtod(buf, NULL) != d)
			snprintf(buf, 40, "%.17g", d);
	}
}

char *render_value(const cJSON *v)
{
	char num[40], *printed, *s;

	if (cJSON_IsString(v))
		return strdup(v->valuestring ? v->valuestring : "");
	if (cJSON_IsNumber(v)) {
		format_number(v->valuedouble, num);
		return strdup(num);
	}
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return strdup("null");
	printed = cJSON_PrintUnformatted(v);
	if (!printed)
		return NULL;
	s = strdup(printed);
	cJSON_free(printed);
	return s;
}

void render_counts(FILE *f, const struct report *r)
{
	size_t counts[DIAG_FAIL + 1] = {0};
	const char *sep = ": ";

	for (size_t i = 0; i < r->n; i++)
		if ((unsigned)r->findings[i].status <= DIAG_FAIL)
			counts[r->findings[i].status]++;
	fprintf(f, "%zu finding%s", r->n, r->n == 1 ? "" : "s");
	for (int s = DIAG_PASS; s <= DIAG_FAIL; s++) {
		if (!counts[s])
			continue;
		fprintf(f, "%s%zu %s", sep, counts[s], diag_status_name((enum diag_status)s));
		sep = ", ";
	}
}
