/* The report model every tool shares: a list of findings, each the result of one check
 * about one subject, and renderers that turn it into text, JSON or Markdown.
 *
 * JSON shape (schema_version 1):
 *   {"tool", "version", "schema_version": 1,
 *    "findings": [{"check", "status", "subject", "summary", "evidence": {}, "fix", "ref"}],
 *    "verdict"}
 * A report from vpn-doctor also has "root_causes": [{"id", "title", "section", "severity",
 * "reasoning", "findings": [index...]}] and each finding a "section". The JSON Schema is
 * schema/report.schema.json.
 * status is pass / warn / fail / skip / error. "error" means the check could not run;
 * "fail" means it ran and found a fault. The verdict is the worst status present, in the
 * order pass < skip < warn < error < fail ("pass" for an empty report). */
#ifndef LIBDIAG_REPORT_H
#define LIBDIAG_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define REPORT_SCHEMA_VERSION 1

enum diag_status { DIAG_PASS, DIAG_SKIP, DIAG_WARN, DIAG_ERROR, DIAG_FAIL };

struct finding {
	char *check;    /* check id, e.g. "routes.propagation" */
	enum diag_status status;
	char *subject;  /* what it is about: a tunnel, a route table, "10.0.0.5:443/tcp" */
	char *summary;  /* one sentence */
	cJSON *evidence; /* object of key/values; never NULL */
	char *fix;      /* what to change; may be NULL */
	char *ref;      /* documentation reference; may be NULL */
	char *section;  /* the report section it is shown under (vpn-doctor); may be NULL */
	/* The report it belongs to, so a setter that runs out of memory can set owner->oom. */
	struct report *owner;
};

/* A root cause reasoned across findings (vpn-doctor): shown first, most likely first. */
struct report_cause {
	char *id;        /* "source_address" */
	char *title;     /* one line */
	char *section;   /* the section its findings are in */
	char *reasoning; /* how the findings combine */
	enum diag_status severity;
	size_t findings[8]; /* indexes of the supporting findings */
	size_t nfindings;
};

struct report {
	char *tool;
	char *version;
	char *scope;     /* what the whole report is about (a VPN connection), or NULL */
	struct finding *findings;
	size_t n, cap;
	struct report_cause *causes;
	size_t ncauses;
	bool oom; /* an allocation failed; the report is incomplete */
};

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_MARKDOWN };
#define REPORT_COLOR 0x1u /* text only: ANSI colours for statuses */

void report_init(struct report *r, const char *tool, const char *version);
void report_free(struct report *r);

/* Appends a finding with a printf-formatted summary. Returns NULL (and sets r->oom) when
 * memory runs out; the finding_* setters accept NULL so callers need not check. The
 * pointer is valid until the next report_add (the array may move). A setter that runs out
 * of memory sets r->oom too. Evidence keys named like a secret (psk, password, token, key,
 * ...) are rendered as "<redacted>" by every renderer, report_to_json included. */
struct finding *report_add(struct report *r, const char *check, enum diag_status status,
			   const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void finding_fix(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_ref(struct finding *f, const char *ref);
void finding_section(struct finding *f, const char *section);
/* Names what the whole report is about (vpn-doctor: one VPN connection of several). */
void report_set_scope(struct report *r, const char *scope);
/* Appends a root cause (copied); findings are indexes into r->findings. */
void report_add_cause(struct report *r, const char *id, const char *title, const char *section,
		      enum diag_status severity, const char *reasoning, const size_t *findings,
		      size_t nfindings);
void finding_ev_str(struct finding *f, const char *key, const char *val);
void finding_ev_num(struct finding *f, const char *key, double val);
void finding_ev_bool(struct finding *f, const char *key, bool val);
/* Takes ownership of item (any cJSON value). */
void finding_ev_json(struct finding *f, const char *key, cJSON *item);

const char *diag_status_name(enum diag_status s); /* "pass", "warn", ... */
bool diag_status_parse(const char *s, enum diag_status *out);
enum diag_status report_verdict(const struct report *r);
/* 0 pass/skip, 1 warn or error, 2 fail (see exitcode.h). */
int report_exit_code(const struct report *r);

/* The report as a cJSON tree in the schema above (caller frees), or NULL on OOM. */
cJSON *report_to_json(const struct report *r);
/* Renders the whole report; returns a malloc'd NUL-terminated string or NULL on OOM. */
char *report_render(const struct report *r, enum report_format fmt, unsigned flags);

#endif
