#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/redact.h"
#include "libdiag/render.h"
#include "libdiag/utf8.h"

/* Inline Markdown text. Every character that could start emphasis, a link, an HTML tag
 * (GitHub would swallow "<redacted>"), an entity or a table cell boundary is escaped; a
 * newline becomes <br> so it cannot end a table row or start a block; control characters
 * and bytes that are not UTF-8 become "\xNN". Callers never put
 * user text at the start of a line, so block markers ("#", "-", ">") need no escape. */
static void md_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		size_t k = c < 0x80 ? 1 : utf8_seq_len((const unsigned char *)s, strnlen(s, 4));

		if (k > 1) {
			fwrite(s, 1, k, f);
			s += k - 1;
		} else if (c == '\n')
			fputs("<br>", f);
		else if (c < 0x20 || c == 0x7f || k == 0) /* controls, and bytes not UTF-8 */
			fprintf(f, "\\x%02x", c);
		/* HTML's own escapes for what Markdown renderers disagree on: CommonMark takes
		 * \\< and \\~, Python-Markdown prints the backslash */
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c == '|')
			fputs("&#124;", f);
		else if (c == '~')
			fputs("&#126;", f);
		else if (strchr("\\`*_[]", c))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
}

/* A code span fenced by one backtick more than the longest run inside s, padded when s
 * starts or ends with a backtick. '|' is escaped even here: GFM splits table cells
 * before it looks for code spans. */
static void md_code(FILE *f, const char *s)
{
	size_t run = 0, longest = 0;
	bool pad;

	s = s ? s : "";
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
	fputs(pad ? " " : "", f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		size_t k = c < 0x80 ? 1 : utf8_seq_len((const unsigned char *)s, strnlen(s, 4));

		if (k > 1) {
			fwrite(s, 1, k, f);
			s += k - 1;
		} else if (c == '\n' || c == '\r')
			fputc(' ', f);
		else if (c < 0x20 || c == 0x7f || k == 0)
			fprintf(f, "\\x%02x", c);
		else if (c == '|')
			fputs("\\|", f);
		else
			fputc(c, f);
	}
	fputs(pad ? " " : "", f);
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
}

static void md_status(FILE *f, enum diag_status s)
{
	for (const char *p = diag_status_name(s); *p; p++)
		fputc(toupper((unsigned char)*p), f);
}

/* An http(s) address with nothing that could end an autolink early. */
static bool is_url(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == '<' || *s == '>' || *s == 0x7f)
			return false;
	return true;
}

static void md_table(FILE *f, const struct report *r)
{
	fputs("| Status | Check | Subject | Summary |\n", f);
	fputs("| --- | --- | --- | --- |\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct finding *fd = &r->findings[i];

		fputs("| ", f);
		md_status(f, fd->status);
		fputs(" | ", f);
		md_code(f, fd->check);
		fputs(" | ", f);
		md_text(f, fd->subject);
		fputs(" | ", f);
		md_text(f, fd->summary);
		fputs(" |\n", f);
	}
}

/* Nested objects and arrays read best as code; scalars as text. */
static bool md_evidence(FILE *f, const cJSON *evidence)
{
	cJSON *ev = redact_copy(evidence);
	const cJSON *c;

	if (!ev)
		return false;
	if (ev->child)
		fputs("\n**Evidence:**\n\n", f);
	cJSON_ArrayForEach(c, ev) {
		char *v = render_value(c);

		if (!v) {
			cJSON_Delete(ev);
			return false;
		}
		fputs("- ", f);
		md_code(f, c->string);
		fputs(": ", f);
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			md_code(f, v);
		else
			md_text(f, v);
		fputc('\n', f);
		free(v);
	}
	cJSON_Delete(ev);
	return true;
}

static bool md_details(FILE *f, const struct finding *fd)
{
	fputs("\n### ", f);
	md_status(f, fd->status);
	fputc(' ', f);
	md_code(f, fd->check);
	if (fd->subject && *fd->subject) {
		fputs(": ", f);
		md_text(f, fd->subject);
	}
	fputs("\n\n**Summary:** ", f);
	md_text(f, fd->summary);
	fputc('\n', f);
	if (fd->evidence && !md_evidence(f, fd->evidence))
		return false;
	if (fd->fix) {
		fputs("\n**Fix:** ", f);
		md_text(f, fd->fix);
		fputc('\n', f);
	}
	if (fd->ref) {
		fputs("\n**Reference:** ", f);
		if (is_url(fd->ref))
			fprintf(f, "<%s>", fd->ref);
		else
			md_text(f, fd->ref);
		fputc('\n', f);
	}
	return true;
}

/* A heading, the verdict, a table to scan, then each finding in full. */
char *render_markdown(const struct report *r)
{
	struct render_buf b;

	if (!rbuf_open(&b))
		return NULL;
	fputs("# ", b.f);
	md_text(b.f, r->tool);
	fputc(' ', b.f);
	md_text(b.f, r->version);
	fputs(" report", b.f);
	if (r->scope) {
		fputs(": ", b.f);
		md_text(b.f, r->scope);
	}
	fputs("\n\n**Verdict: ", b.f);
	md_status(b.f, report_verdict(r));
	fputs("** (", b.f);
	render_counts(b.f, r);
	fputs(")\n", b.f);
	if (!r->n) {
		fputs("\nNo findings.\n", b.f);
		return rbuf_close(&b);
	}
	fputc('\n', b.f);
	if (r->ncauses) {
		fputs("## Most likely cause\n\n", b.f);
		for (size_t i = 0; i < r->ncauses; i++) {
			const struct report_cause *c = &r->causes[i];

			fprintf(b.f, "%zu. ", i + 1);
			md_status(b.f, c->severity);
			fputs(" **", b.f);
			md_text(b.f, c->title);
			fputs("** (", b.f);
			md_code(b.f, c->id);
			fputs(")", b.f);
			if (c->reasoning && *c->reasoning) {
				fputs(": ", b.f);
				md_text(b.f, c->reasoning);
			}
			fputc('\n', b.f);
		}
		fputc('\n', b.f);
	}
	md_table(b.f, r);
	if (!r->findings[0].section)
		fputs("\n## Details\n", b.f);
	for (size_t i = 0; i < r->n; i++) {
		const char *sec = r->findings[i].section;

		if (sec && (i == 0 || !r->findings[i - 1].section ||
			    strcmp(r->findings[i - 1].section, sec) != 0)) {
			fputs("\n## ", b.f);
			md_text(b.f, sec);
			fputc('\n', b.f);
		}
		if (!md_details(b.f, &r->findings[i])) {
			rbuf_abort(&b);
			return NULL;
		}
	}
	return rbuf_close(&b);
}
