#include "libdiag/report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libdiag/exitcode.h"

static const char *const status_names[] = {
	[DIAG_PASS] = "pass", [DIAG_SKIP] = "skip", [DIAG_WARN] = "warn",
	[DIAG_ERROR] = "error", [DIAG_FAIL] = "fail",
};

#define N_STATUS (sizeof status_names / sizeof *status_names)

/* strdup that treats NULL as "", so every string field is a string. NULL on OOM. */
static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

void report_init(struct report *r, const char *tool, const char *version)
{
	memset(r, 0, sizeof *r);
	r->tool = dup_or_empty(tool);
	r->version = dup_or_empty(version);
	if (!r->tool || !r->version)
		r->oom = true;
}

static void finding_free(struct finding *f)
{
	free(f->check);
	free(f->subject);
	free(f->summary);
	cJSON_Delete(f->evidence);
	free(f->fix);
	free(f->ref);
	free(f->section);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_free(&r->findings[i]);
	free(r->findings);
	for (size_t i = 0; i < r->ncauses; i++) {
		free(r->causes[i].id);
		free(r->causes[i].title);
		free(r->causes[i].section);
		free(r->causes[i].reasoning);
	}
	free(r->causes);
	free(r->tool);
	free(r->version);
	free(r->scope);
	memset(r, 0, sizeof *r);
}

/* Room for one more finding; false (r->oom set) when the array cannot grow. */
static bool grow(struct report *r)
{
	size_t cap;
	struct finding *f;

	if (r->n < r->cap)
		return true;
	cap = r->cap ? r->cap * 2 : 8;
	if (cap > SIZE_MAX / sizeof *f || !(f = realloc(r->findings, cap * sizeof *f))) {
		r->oom = true;
		return false;
	}
	r->findings = f;
	r->cap = cap;
	return true;
}

struct finding *report_add(struct report *r, const char *check, enum diag_status status,
			   const char *subject, const char *fmt, ...)
{
	struct finding f = {.status = status, .owner = r};
	va_list ap;
	int rc;

	if (!grow(r))
		return NULL;
	va_start(ap, fmt);
	rc = vasprintf(&f.summary, fmt, ap);
	va_end(ap);
	if (rc < 0)
		f.summary = NULL;
	f.check = dup_or_empty(check);
	f.subject = dup_or_empty(subject);
	f.evidence = cJSON_CreateObject();
	if (!f.summary || !f.check || !f.subject || !f.evidence) {
		finding_free(&f);
		r->oom = true;
		return NULL;
	}
	r->findings[r->n] = f;
	return &r->findings[r->n++];
}

static void mark_oom(struct finding *f)
{
	if (f->owner)
		f->owner->oom = true;
}

void finding_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	if (!f)
		return;
	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		mark_oom(f);
		return;
	}
	free(f->fix);
	f->fix = s;
}

void finding_ref(struct finding *f, const char *ref)
{
	char *s = NULL;

	if (!f)
		return;
	if (ref && !(s = strdup(ref))) {
		mark_oom(f);
		return;
	}
	free(f->ref);
	f->ref = s;
}

/* A key set twice keeps only the last value (moved to the end): JSON objects with
 * duplicate keys are read differently by different parsers. */
void finding_ev_json(struct finding *f, const char *key, cJSON *item)
{
	if (!f || !key) {
		cJSON_Delete(item);
		return;
	}
	if (!item) {
		mark_oom(f); /* the caller's cJSON_Create* failed */
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(f->evidence, key);
	if (!cJSON_AddItemToObject(f->evidence, key, item)) {
		cJSON_Delete(item);
		mark_oom(f);
	}
}

void finding_ev_str(struct finding *f, const char *key, const char *val)
{
	if (f)
		finding_ev_json(f, key, val ? cJSON_CreateString(val) : cJSON_CreateNull());
}

void finding_ev_num(struct finding *f, const char *key, double val)
{
	if (f)
		finding_ev_json(f, key, cJSON_CreateNumber(val));
}

void finding_ev_bool(struct finding *f, const char *key, bool val)
{
	if (f)
		finding_ev_json(f, key, cJSON_CreateBool(val));
}

const char *diag_status_name(enum diag_status s)
{
	return (unsigned)s < N_STATUS ? status_names[s] : "unknown";
}

bool diag_status_parse(const char *s, enum diag_status *out)
{
	for (size_t i = 0; s && i < N_STATUS; i++) {
		if (strcasecmp(s, status_names[i]) == 0) {
			*out = (enum diag_status)i;
			return true;
		}
	}
	return false;
}

/* The enum is declared in severity order, so the verdict is the largest status. */
enum diag_status report_verdict(const struct report *r)
{
	enum diag_status v = DIAG_PASS;

	for (size_t i = 0; i < r->n; i++)
		if (r->findings[i].status > v)
			v = r->findings[i].status;
	return v;
}

int report_exit_code(const struct report *r)
{
	switch (report_verdict(r)) {
	case DIAG_FAIL:
		return DIAG_EXIT_FAIL;
	case DIAG_WARN:
	case DIAG_ERROR:
		return DIAG_EXIT_WARN;
	default:
		return DIAG_EXIT_PASS;
	}
}

void finding_section(struct finding *f, const char *section)
{
	if (!f)
		return;
	free(f->section);
	f->section = section ? strdup(section) : NULL;
	if (section && !f->section && f->owner)
		f->owner->oom = true;
}

void report_add_cause(struct report *r, const char *id, const char *title, const char *section,
		      enum diag_status severity, const char *reasoning, const size_t *findings,
		      size_t nfindings)
{
	struct report_cause *c = realloc(r->causes, (r->ncauses + 1) * sizeof *c);

	if (!c) {
		r->oom = true;
		return;
	}
	r->causes = c;
	c = &r->causes[r->ncauses];
	memset(c, 0, sizeof *c);
	c->id = dup_or_empty(id);
	c->title = dup_or_empty(title);
	c->section = dup_or_empty(section);
	c->reasoning = dup_or_empty(reasoning);
	c->severity = severity;
	for (size_t i = 0; i < nfindings && i < sizeof c->findings / sizeof c->findings[0]; i++)
		if (findings[i] < r->n)
			c->findings[c->nfindings++] = findings[i];
	if (!c->id || !c->title || !c->section || !c->reasoning)
		r->oom = true;
	r->ncauses++;
}

void report_set_scope(struct report *r, const char *scope)
{
	free(r->scope);
	r->scope = scope ? strdup(scope) : NULL;
	if (scope && !r->scope)
		r->oom = true;
}
