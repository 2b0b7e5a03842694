#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/redact.h"
#include "libdiag/render.h"

/* Only the [STATUS] tag is coloured: colour is a hint, the words carry the meaning. */
static const char *const tag_color[] = {
	[DIAG_PASS] = "\033[32m", [DIAG_SKIP] = "\033[2m", [DIAG_WARN] = "\033[33m",
	[DIAG_ERROR] = "\033[35m", [DIAG_FAIL] = "\033[31m",
};
#define COLOR_OFF "\033[0m"
#define INDENT "    "
#define CONT_INDENT "      "

/* Writes s for a terminal: evidence can hold bytes a remote peer chose, so control
 * characters become \xNN instead of reaching the terminal as escape sequences. A newline
 * continues on an indented line. */
static void put_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\n" CONT_INDENT, f);
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void put_tag(FILE *f, enum diag_status s, unsigned flags)
{
	const char *name = diag_status_name(s);
	bool color = (flags & REPORT_COLOR) && (unsigned)s <= DIAG_FAIL;

	fputs(color ? tag_color[s] : "", f);
	fputc('[', f);
	for (; *name; name++)
		fputc(toupper((unsigned char)*name), f);
	fputc(']', f);
	fputs(color ? COLOR_OFF : "", f);
}

/* "evidence: k=v, k=v" from the redacted copy; false when memory ran out. */
static bool put_evidence(FILE *f, const cJSON *evidence)
{
	cJSON *ev = redact_copy(evidence);
	const cJSON *c;
	const char *sep = INDENT "evidence: ";

	if (!ev)
		return false;
	cJSON_ArrayForEach(c, ev) {
		char *v = render_value(c);

		if (!v) {
			cJSON_Delete(ev);
			return false;
		}
		fputs(sep, f);
		put_text(f, c->string);
		fputc('=', f);
		put_text(f, v);
		free(v);
		sep = ", ";
	}
	if (ev->child)
		fputc('\n', f);
	cJSON_Delete(ev);
	return true;
}

static bool put_finding(FILE *f, const struct finding *fd, unsigned flags)
{
	put_tag(f, fd->status, flags);
	fputc(' ', f);
	put_text(f, fd->check);
	fputs("  ", f);
	if (fd->subject && *fd->subject) {
		put_text(f, fd->subject);
		fputs(": ", f);
	}
	put_text(f, fd->summary);
	fputc('\n', f);
	if (fd->evidence && !put_evidence(f, fd->evidence))
		return false;
	if (fd->fix) {
		fputs(INDENT "fix: ", f);
		put_text(f, fd->fix);
		fputc('\n', f);
	}
	if (fd->ref) {
		fputs(INDENT "ref: ", f);
		put_text(f, fd->ref);
		fputc('\n', f);
	}
	return true;
}

/* A linter's layout: one header line with the verdict, then one line per finding with
 * its evidence, fix and reference indented beneath. */
char *render_text(const struct report *r, unsigned flags)
{
	struct render_buf b;

	if (!rbuf_open(&b))
		return NULL;
	put_text(b.f, r->tool);
	fputc(' ', b.f);
	put_text(b.f, r->version);
	if (r->scope) {
		fputs(" [", b.f);
		put_text(b.f, r->scope);
		fputc(']', b.f);
	}
	fprintf(b.f, ": verdict %s (", diag_status_name(report_verdict(r)));
	render_counts(b.f, r);
	fputs(")\n", b.f);
	for (size_t i = 0; i < r->ncauses; i++) {
		const struct report_cause *c = &r->causes[i];
		const struct finding *first = c->nfindings ? &r->findings[c->findings[0]] : NULL;

		fputs(i == 0 ? "\nMost likely cause " : "Also ", b.f);
		put_tag(b.f, c->severity, flags);
		fputc(' ', b.f);
		put_text(b.f, c->title);
		fprintf(b.f, " (%s)\n", c->id);
		if (c->reasoning && *c->reasoning) {
			fputs(INDENT "why: ", b.f);
			put_text(b.f, c->reasoning);
			fputc('\n', b.f);
		}
		if (first && first->fix) {
			fputs(INDENT "fix: ", b.f);
			put_text(b.f, first->fix);
			fputc('\n', b.f);
		}
	}
	for (size_t i = 0; i < r->n; i++) {
		const char *sec = r->findings[i].section;

		if (sec && (i == 0 || !r->findings[i - 1].section ||
			    strcmp(r->findings[i - 1].section, sec) != 0)) {
			fputs("\n== ", b.f);
			put_text(b.f, sec);
			fputc('\n', b.f);
		}
		if (!put_finding(b.f, &r->findings[i], flags)) {
			rbuf_abort(&b);
			return NULL;
		}
	}
	return rbuf_close(&b);
}
