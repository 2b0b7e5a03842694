#include "checks/aws_logs.h"
#include "libdiag/redact.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const ID = "aws.tunnel_logs";

#define EX_MAX 240        /* bytes of an example message kept */
#define TS_MAX 40
#define WHERE_MAX 176
#define ID_MAX 64
#define N_UNKNOWN 5       /* distinct unclassified examples kept per file */

/* When something happened: the time if the log gave one, and the order of reading, which
 * decides when times are missing or equal. */
struct when {
	int64_t ms;
	uint64_t seq;
	char ts[TS_MAX];
};

struct cat_stat {
	uint64_t count;
	struct when first, last;
	const struct vpnlog_msg *row;   /* catalogue row of the first (by time) */
	unsigned ike;                   /* IKE versions of the rows seen */
	char example[EX_MAX];           /* the first message, scrubbed */
	char where[WHERE_MAX];          /* FILE:LINE of the first */
};

struct tunnel {
	char vpn[ID_MAX], ip[ID_MAX];
	uint64_t events;
	struct when first, last;
	char last_where[WHERE_MAX];     /* FILE:LINE of the latest event */
	/* the state as of the latest event that carried it */
	enum vpnlog_state p1, p2;
	char p1_text[24], p2_text[24];
	int nat_t, dpd;
	/* the previous state in file order, to count transitions */
	enum vpnlog_state prev_p1, prev_p2;
	struct cat_stat cats[VPNLOG_CAT_COUNT];
};

struct file_rec {
	char name[WHERE_MAX];
	struct vpnlog_stats st;
	struct diag_error err;          /* code != 0: the file could not be read */
	uint64_t unclassified;
	char unknown[N_UNKNOWN][EX_MAX];
	size_t n_unknown;
	bool any_time;
	struct when first, last;
	unsigned char seen[AWS_LOGS_MAX_TUNNELS / 8]; /* tunnels this file mentions */
};

struct aws_logs {
	struct file_rec files[AWS_LOGS_MAX_FILES];
	size_t n_files;
	struct tunnel *tunnels;
	size_t n_tunnels, cap_tunnels;
	size_t last;                    /* the tunnel of the previous event */
	uint64_t seq;
	struct file_rec *cur;
};

/* What each problem is called in a finding's summary. */
static const char *const titles[VPNLOG_CAT_COUNT] = {
	[VPNLOG_CAT_PSK_MISMATCH] = "pre-shared key mismatch",
	[VPNLOG_CAT_AUTH_FAILED] = "IKE authentication failed (AUTHENTICATION_FAILED)",
	[VPNLOG_CAT_NO_PROPOSAL_PHASE1] = "no proposal match: AWS accepted none of the "
					  "customer gateway's proposals",
	[VPNLOG_CAT_NO_PROPOSAL_PHASE2] = "no proposal chosen for phase 2",
	[VPNLOG_CAT_TS_UNACCEPTABLE] = "traffic selectors refused (TS_UNACCEPTABLE)",
	[VPNLOG_CAT_PHASE2_FAILED_KEEP_PHASE1] = "phase 2 failed while phase 1 stayed up",
	[VPNLOG_CAT_PHASE1_TIMEOUT] = "half-open phase 1 timed out",
	[VPNLOG_CAT_DPD_TIMEOUT] = "dead peer detection timed out",
	[VPNLOG_CAT_PEER_DEAD] = "peer declared dead by dead peer detection",
	[VPNLOG_CAT_CHILD_COLLISION] = "CHILD_SA rekey collision",
};

struct aws_logs *aws_logs_new(void)
{
	return calloc(1, sizeof(struct aws_logs));
}

void aws_logs_free(struct aws_logs *al)
{
	if (!al)
		return;
	free(al->tunnels);
	free(al);
}

unsigned long long aws_logs_bad(const struct aws_logs *al, struct diag_error *first)
{
	unsigned long long n = 0;

	if (first)
		memset(first, 0, sizeof *first);
	for (size_t i = 0; i < al->n_files; i++) {
		n += al->files[i].st.bad;
		if (first && !first->code && al->files[i].st.first_bad.code)
			*first = al->files[i].st.first_bad;
	}
	return n;
}

/* ---- collecting ------------------------------------------------------------------- */

static bool before(const struct when *a, const struct when *b)
{
	if (a->ms >= 0 && b->ms >= 0 && a->ms != b->ms)
		return a->ms < b->ms;
	return a->seq < b->seq;
}

static bool is_up(enum vpnlog_state s)
{
	return s == VPNLOG_STATE_ESTABLISHED || s == VPNLOG_STATE_REKEYING;
}

/* dst gets at most len-1 bytes of src (never half a UTF-8 character), "" for NULL. */
/* A log message for a report: control characters scrubbed, then anything that looks like
 * a key after a secret word hidden by the one redaction routine (libdiag/redact.h): an
 * unclassified line may quote a pre-shared key. */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n = 0;
	char *red;

	vpnlog_scrub(src ? src : "", dst, len);
	red = redact_text(NULL, REDACT_PROSE, dst, strlen(dst), &n);
	if (!red) {
		snprintf(dst, len, "%s", REDACTED); /* no memory: say nothing rather than leak */
		return;
	}
	snprintf(dst, len, "%s", red);
	free(red);
}

static bool same_tunnel(const struct tunnel *t, const char *ip, const char *vpn)
{
	return ip[0] ? strcmp(t->ip, ip) == 0 : !t->ip[0] && strcmp(t->vpn, vpn) == 0;
}

/* The tunnel an event belongs to: by outside IP, else by VPN connection, else the one
 * "unidentified" tunnel. NULL past AWS_LOGS_MAX_TUNNELS or out of memory (err set). */
static struct tunnel *tunnel_for(struct aws_logs *al, const struct vpnlog_event *ev,
				 struct diag_error *err)
{
	char ip[ID_MAX], vpn[ID_MAX], where[WHERE_MAX];
	struct tunnel *t;
	size_t i = al->last;

	copy(ip, sizeof ip, ev->outside_ip);
	copy(vpn, sizeof vpn, ev->vpn_connection_id);
	/* the previous event's tunnel first: logs come in runs of one stream */
	if (i >= al->n_tunnels || !same_tunnel(&al->tunnels[i], ip, vpn))
		for (i = 0; i < al->n_tunnels && !same_tunnel(&al->tunnels[i], ip, vpn); i++)
			;
	if (i < al->n_tunnels) {
		t = &al->tunnels[i];
		if (!t->vpn[0] && vpn[0])
			snprintf(t->vpn, sizeof t->vpn, "%s", vpn);
		al->last = i;
		return t;
	}
	snprintf(where, sizeof where, "%s:%lu", ev->source, ev->line);
	if (al->n_tunnels >= AWS_LOGS_MAX_TUNNELS) {
		diag_fail(err, DIAG_EXIT_DATAERR, where, "more than %d tunnels (the limit)",
			  AWS_LOGS_MAX_TUNNELS);
		return NULL;
	}
	if (al->n_tunnels == al->cap_tunnels) {
		size_t ncap = al->cap_tunnels ? al->cap_tunnels * 2 : 4;
		struct tunnel *nt = realloc(al->tunnels, ncap * sizeof *nt);

		if (!nt) {
			diag_fail(err, DIAG_EXIT_SOFTWARE, where, "out of memory");
			return NULL;
		}
		al->tunnels = nt;
		al->cap_tunnels = ncap;
	}
	t = &al->tunnels[al->n_tunnels];
	memset(t, 0, sizeof *t);
	snprintf(t->ip, sizeof t->ip, "%s", ip);
	snprintf(t->vpn, sizeof t->vpn, "%s", vpn);
	t->nat_t = t->dpd = VPNLOG_UNKNOWN;
	al->last = al->n_tunnels++;
	return t;
}

static void bump(struct cat_stat *c, const struct when *w, const struct vpnlog_event *ev,
		 const struct vpnlog_msg *row)
{
	if (row)
		c->ike |= row->ike;
	if (c->count++ == 0 || before(w, &c->first)) {
		c->first = *w;
		c->row = row;
		copy(c->example, sizeof c->example, ev->detail);
		snprintf(c->where, sizeof c->where, "%s:%lu", ev->source, ev->line);
	}
	if (c->count == 1 || !before(w, &c->last))
		c->last = *w;
}

static void note_unknown(struct file_rec *f, const char *detail)
{
	char ex[EX_MAX];

	f->unclassified++;
	if (f->n_unknown >= N_UNKNOWN)
		return;
	copy(ex, sizeof ex, detail);
	for (size_t i = 0; i < f->n_unknown; i++)
		if (strcmp(f->unknown[i], ex) == 0)
			return;
	memcpy(f->unknown[f->n_unknown++], ex, sizeof ex);
}

/* Counts changes of state in file order: up = became Established or Rekeying from another
 * state, down = became Down from another state (the first event is no change). */
static void transitions(struct tunnel *t, const struct when *w, const struct vpnlog_event *ev)
{
	if (ev->phase1 != VPNLOG_STATE_ABSENT) {
		if (t->prev_p1 != VPNLOG_STATE_ABSENT && is_up(ev->phase1) && !is_up(t->prev_p1))
			bump(&t->cats[VPNLOG_CAT_PHASE1_UP], w, ev, NULL);
		if (t->prev_p1 != VPNLOG_STATE_ABSENT && ev->phase1 == VPNLOG_STATE_DOWN &&
		    t->prev_p1 != VPNLOG_STATE_DOWN)
			bump(&t->cats[VPNLOG_CAT_PHASE1_DOWN], w, ev, NULL);
		t->prev_p1 = ev->phase1;
	}
	if (ev->phase2 != VPNLOG_STATE_ABSENT) {
		if (t->prev_p2 != VPNLOG_STATE_ABSENT && is_up(ev->phase2) && !is_up(t->prev_p2))
			bump(&t->cats[VPNLOG_CAT_PHASE2_UP], w, ev, NULL);
		if (t->prev_p2 != VPNLOG_STATE_ABSENT && ev->phase2 == VPNLOG_STATE_DOWN &&
		    t->prev_p2 != VPNLOG_STATE_DOWN)
			bump(&t->cats[VPNLOG_CAT_PHASE2_DOWN], w, ev, NULL);
		t->prev_p2 = ev->phase2;
	}
}

static void take_state(struct tunnel *t, const struct vpnlog_event *ev)
{
	if (ev->phase1 != VPNLOG_STATE_ABSENT) {
		t->p1 = ev->phase1;
		copy(t->p1_text, sizeof t->p1_text, ev->phase1_text);
	}
	if (ev->phase2 != VPNLOG_STATE_ABSENT) {
		t->p2 = ev->phase2;
		copy(t->p2_text, sizeof t->p2_text, ev->phase2_text);
	}
	if (ev->nat_t_detected != VPNLOG_UNKNOWN)
		t->nat_t = ev->nat_t_detected;
	if (ev->dpd_enabled != VPNLOG_UNKNOWN)
		t->dpd = ev->dpd_enabled;
}

static int on_event(void *arg, const struct vpnlog_event *ev, struct diag_error *err)
{
	struct aws_logs *al = arg;
	struct file_rec *f = al->cur;
	struct tunnel *t = tunnel_for(al, ev, err);
	struct when w = {.ms = ev->epoch_ms, .seq = ++al->seq};
	size_t idx;

	if (!t)
		return -1;
	idx = (size_t)(t - al->tunnels);
	f->seen[idx / 8] |= (unsigned char)(1u << (idx % 8));
	if (ev->epoch_ms >= 0)
		vpnlog_format_time(ev->epoch_ms, w.ts, sizeof w.ts);
	else
		copy(w.ts, sizeof w.ts, ev->timestamp);
	if (ev->epoch_ms >= 0) {
		/* the file's time range: events with a time only */
		if (!f->any_time || before(&w, &f->first))
			f->first = w;
		if (!f->any_time || !before(&w, &f->last))
			f->last = w;
		f->any_time = true;
	}
	if (t->events++ == 0 || before(&w, &t->first))
		t->first = w;
	if (t->events == 1 || !before(&w, &t->last)) {
		t->last = w;
		snprintf(t->last_where, sizeof t->last_where, "%s:%lu", ev->source, ev->line);
		take_state(t, ev);
	}
	transitions(t, &w, ev);
	if (ev->nat_t_detected == 1)
		bump(&t->cats[VPNLOG_CAT_NAT_T_DETECTED], &w, ev, NULL);
	if (ev->detail && ev->detail[0]) {
		const struct vpnlog_msg *row = vpnlog_classify(ev->detail);

		if (row) {
			bump(&t->cats[row->category], &w, ev, row);
		} else {
			bump(&t->cats[VPNLOG_CAT_UNCLASSIFIED], &w, ev, NULL);
			note_unknown(f, ev->detail);
		}
	}
	return 0;
}

int aws_logs_read(struct aws_logs *al, FILE *fp, const char *name, struct diag_error *err)
{
	struct diag_error local = {0};
	struct file_rec *f;
	int rc;

	if (!err)
		err = &local;
	if (al->n_files >= AWS_LOGS_MAX_FILES)
		return diag_fail(err, DIAG_EXIT_USAGE, name, "more than %d log files",
				 AWS_LOGS_MAX_FILES);
	f = &al->files[al->n_files++];
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", !name || strcmp(name, "-") == 0 ? "stdin" : name);
	al->cur = f;
	rc = vpnlog_read_stats(fp, name, on_event, al, &f->st, err);
	if (rc < 0)
		f->err = *err;
	al->cur = NULL;
	return rc;
}

/* ---- findings --------------------------------------------------------------------- */

static void subject_of(const struct tunnel *t, char *buf, size_t len)
{
	if (t->vpn[0] && t->ip[0])
		snprintf(buf, len, "%s tunnel %s", t->vpn, t->ip);
	else if (t->ip[0])
		snprintf(buf, len, "tunnel %s", t->ip);
	else if (t->vpn[0])
		snprintf(buf, len, "%s tunnel (outside IP not logged)", t->vpn);
	else
		snprintf(buf, len, "unidentified tunnel");
}

static const char *when_text(const struct when *w)
{
	return w->ts[0] ? w->ts : "an event without a time";
}

/* A time as evidence, left out when the log gave none. */
static void ev_when(struct finding *f, const char *key, const struct when *w)
{
	if (w->ts[0])
		finding_ev_str(f, key, w->ts);
}

static void ev_tri(struct finding *f, const char *key, int v)
{
	if (v != VPNLOG_UNKNOWN)
		finding_ev_bool(f, key, v == 1);
}

static void file_finding(const struct aws_logs *al, const struct file_rec *f,
			 struct report *rep)
{
	struct finding *fd;
	char buf[512], range[2 * TS_MAX + 8] = "";
	size_t tunnels = 0;

	if (f->err.code) {
		fd = report_add(rep, ID, DIAG_ERROR, f->name, "%s",
				diag_error_text(&f->err, buf, sizeof buf));
		finding_fix(fd, "Give the tunnel activity log in JSON format: one event a line, as "
				"the log group holds it, or the output of `aws logs "
				"filter-log-events --log-group-name GROUP --output json`.");
		finding_ref(fd, VPNLOG_REF);
		return;
	}
	for (size_t i = 0; i < al->n_tunnels; i++)
		tunnels += (f->seen[i / 8] >> (i % 8)) & 1u;
	if (f->any_time)
		snprintf(range, sizeof range, ", %s to %s", when_text(&f->first),
			 when_text(&f->last));
	fd = report_add(rep, ID, f->st.bad ? DIAG_WARN : DIAG_PASS, f->name,
			"read %" PRIu64 " event%s of %zu tunnel%s%s%s", f->st.events,
			f->st.events == 1 ? "" : "s", tunnels, tunnels == 1 ? "" : "s", range,
			f->st.bad ? "; skipped malformed records" : "");
	finding_ev_str(fd, "format", f->st.format == VPNLOG_FMT_CLI ? "aws-cli" : "json-lines");
	finding_ev_num(fd, "events", (double)f->st.events);
	finding_ev_num(fd, "tunnels", (double)tunnels);
	if (f->any_time) {
		finding_ev_str(fd, "first_event", f->first.ts);
		finding_ev_str(fd, "last_event", f->last.ts);
	}
	if (f->st.bad) {
		finding_ev_num(fd, "malformed_records", (double)f->st.bad);
		finding_ev_str(fd, "first_malformed",
			       diag_error_text(&f->st.first_bad, buf, sizeof buf));
	}
	if (f->st.ignored)
		finding_ev_num(fd, "bgp_records_ignored", (double)f->st.ignored);
	finding_ev_num(fd, "unclassified", (double)f->unclassified);
	if (f->n_unknown) {
		cJSON *arr = cJSON_CreateArray();

		for (size_t i = 0; arr && i < f->n_unknown; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(f->unknown[i]));
		if (arr)
			finding_ev_json(fd, "unclassified_examples", arr);
		else if (fd)
			fd->owner->oom = true;
	}
	if (f->st.bad)
		finding_fix(fd, "The malformed records are left out of the findings: repair or "
				"export the log again (aws logs filter-log-events --output json) "
				"and run again.");
	else if (f->unclassified)
		finding_fix(fd, "Messages vpn-doctor does not know are counted as unclassified "
				"and listed here; read them in the log.");
	finding_ref(fd, VPNLOG_REF);
}

static bool problems(const struct tunnel *t)
{
	for (int c = 0; c < VPNLOG_CAT_COUNT; c++)
		if (t->cats[c].count && vpnlog_category_severity(c) != VPNLOG_SEV_INFO)
			return true;
	return false;
}

static const char *state_text(enum vpnlog_state s, const char *raw)
{
	return s == VPNLOG_STATE_OTHER ? raw : vpnlog_state_name(s);
}

static cJSON *message_counts(const struct tunnel *t)
{
	cJSON *arr = cJSON_CreateArray();

	for (int c = VPNLOG_CAT_PSK_MISMATCH; arr && c <= VPNLOG_CAT_COUNT; c++) {
		/* the message categories, then the unclassified ones last */
		int cat = c == VPNLOG_CAT_COUNT ? VPNLOG_CAT_UNCLASSIFIED : c;
		cJSON *o;

		if (!t->cats[cat].count)
			continue;
		if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, o) ||
		    !cJSON_AddStringToObject(o, "category", vpnlog_category_name(cat)) ||
		    !cJSON_AddNumberToObject(o, "count", (double)t->cats[cat].count)) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static void state_finding(const struct tunnel *t, struct report *rep)
{
	char subject[2 * ID_MAX + 40], as_of[WHERE_MAX + 40];
	bool up = is_up(t->p1) && is_up(t->p2);
	bool down = t->p1 == VPNLOG_STATE_DOWN || t->p2 == VPNLOG_STATE_DOWN;
	bool bad = problems(t);
	enum diag_status st = down ? DIAG_FAIL : up && !bad ? DIAG_PASS : DIAG_WARN;
	struct finding *f;
	cJSON *counts;

	subject_of(t, subject, sizeof subject);
	if (t->last.ts[0])
		snprintf(as_of, sizeof as_of, "%s", t->last.ts);
	else
		snprintf(as_of, sizeof as_of, "an event without a time (%s)", t->last_where);
	f = report_add(rep, ID, st, subject, "phase 1 %s, phase 2 %s at %s (latest of %" PRIu64
					     " event%s); %s",
		       state_text(t->p1, t->p1_text), state_text(t->p2, t->p2_text), as_of,
		       t->events, t->events == 1 ? "" : "s",
		       bad ? "problems logged, see below" : "no problem logged");
	if (t->vpn[0])
		finding_ev_str(f, "vpn_connection_id", t->vpn);
	if (t->ip[0])
		finding_ev_str(f, "outside_ip", t->ip);
	finding_ev_str(f, "phase1_state", state_text(t->p1, t->p1_text));
	finding_ev_str(f, "phase2_state", state_text(t->p2, t->p2_text));
	finding_ev_str(f, "as_of", as_of);
	finding_ev_num(f, "events", (double)t->events);
	ev_when(f, "first_event", &t->first);
	ev_tri(f, "nat_t_detected", t->nat_t);
	ev_tri(f, "dpd_enabled", t->dpd);
	finding_ev_num(f, "phase1_up", (double)t->cats[VPNLOG_CAT_PHASE1_UP].count);
	finding_ev_num(f, "phase1_down", (double)t->cats[VPNLOG_CAT_PHASE1_DOWN].count);
	finding_ev_num(f, "phase2_up", (double)t->cats[VPNLOG_CAT_PHASE2_UP].count);
	finding_ev_num(f, "phase2_down", (double)t->cats[VPNLOG_CAT_PHASE2_DOWN].count);
	if ((counts = message_counts(t)) != NULL)
		finding_ev_json(f, "messages", counts);
	else if (f)
		f->owner->oom = true;
	if (st != DIAG_PASS) {
		const char *why =
			down ? "The tunnel was down at the end of the log: fix the problems "
			       "below first; if none is logged, check that the customer gateway "
			       "starts IKE (or set StartupAction start, IKEv2 only) and that UDP "
			       "500 and 4500 reach it."
			: up ? "The tunnel is up at the end of the log, but the problems below "
			       "happened in it; fix them so that it stays up."
			     : "The tunnel had not finished negotiating at the end of the log: "
			       "read the problems below, or a longer stretch of the log.";
		finding_fix(f, "%s%s", why,
			    t->cats[VPNLOG_CAT_NAT_T_DETECTED].count
				    ? " NAT-T was detected: the customer gateway is behind NAT, so "
				      "its registered IP must be the NAT device's public IP, and UDP "
				      "4500 must pass."
				    : "");
	}
	finding_ref(f, VPNLOG_REF);
}

static void problem_finding(const struct tunnel *t, int cat, struct report *rep)
{
	const struct cat_stat *c = &t->cats[cat];
	char subject[2 * ID_MAX + 40];
	struct finding *f;

	subject_of(t, subject, sizeof subject);
	f = report_add(rep, ID,
		       vpnlog_category_severity(cat) == VPNLOG_SEV_FAIL ? DIAG_FAIL : DIAG_WARN,
		       subject, "%s: logged %" PRIu64 " time%s, last at %s",
		       titles[cat] ? titles[cat] : vpnlog_category_name(cat), c->count,
		       c->count == 1 ? "" : "s", when_text(&c->last));
	finding_ev_str(f, "category", vpnlog_category_name(cat));
	finding_ev_str(f, "ike_version", vpnlog_ike_name(c->ike));
	finding_ev_num(f, "count", (double)c->count);
	ev_when(f, "first_seen", &c->first);
	ev_when(f, "last_seen", &c->last);
	finding_ev_str(f, "first_at", c->where);
	finding_ev_str(f, "example", c->example);
	if (c->row) {
		finding_ev_str(f, "meaning", c->row->meaning);
		if (c->row->fix)
			finding_fix(f, "%s", c->row->fix);
	}
	finding_ref(f, VPNLOG_REF);
}

static int by_name(const void *a, const void *b)
{
	const struct tunnel *x = *(const struct tunnel *const *)a;
	const struct tunnel *y = *(const struct tunnel *const *)b;
	int r;

	/* unidentified tunnels last */
	if (!x->vpn[0] != !y->vpn[0])
		return x->vpn[0] ? -1 : 1;
	if ((r = strcmp(x->vpn, y->vpn)) != 0)
		return r;
	if (!x->ip[0] != !y->ip[0])
		return x->ip[0] ? -1 : 1;
	return strcmp(x->ip, y->ip);
}

void aws_logs_findings(const struct aws_logs *al, struct report *rep)
{
	const struct tunnel **order;

	for (size_t i = 0; i < al->n_files; i++)
		file_finding(al, &al->files[i], rep);
	if (!al->n_tunnels)
		return;
	if (!(order = malloc(al->n_tunnels * sizeof *order))) {
		rep->oom = true;
		return;
	}
	for (size_t i = 0; i < al->n_tunnels; i++)
		order[i] = &al->tunnels[i];
	qsort(order, al->n_tunnels, sizeof *order, by_name);
	for (size_t i = 0; i < al->n_tunnels; i++) {
		state_finding(order[i], rep);
		for (int c = 0; c < VPNLOG_CAT_COUNT; c++)
			if (order[i]->cats[c].count &&
			    vpnlog_category_severity(c) != VPNLOG_SEV_INFO)
				problem_finding(order[i], c, rep);
	}
	free(order);
}

/* ---- the check -------------------------------------------------------------------- */

static int run(const struct check_ctx *ctx, struct report *rep)
{
	const char *name = ctx->vpn_logs_file ? ctx->vpn_logs_file : "-";
	struct diag_error err = {0};
	struct aws_logs *al;
	FILE *fp = ctx->vpn_logs_fp;
	bool opened = false;
	int rc;

	if (!fp) {
		if (strcmp(name, "-") == 0) {
			fp = stdin;
		} else if (!(fp = fopen(name, "r"))) {
			struct finding *f = report_add(rep, ID, DIAG_ERROR, name, "%s",
						       strerror(errno));

			finding_fix(f, "Pass --vpn-logs FILE: the tunnel activity log exported from "
				       "CloudWatch Logs.");
			return -1;
		} else {
			opened = true;
		}
	}
	if (!(al = aws_logs_new())) {
		report_add(rep, ID, DIAG_ERROR, name, "out of memory");
		if (opened)
			fclose(fp);
		return -1;
	}
	rc = aws_logs_read(al, fp, name, &err);
	aws_logs_findings(al, rep);
	aws_logs_free(al);
	if (opened)
		fclose(fp);
	return rc < 0 ? -1 : 0;
}

const struct check check_aws_tunnel_logs = {
	.id = "aws.tunnel_logs",
	.summary = "Site-to-Site VPN tunnel logs: each tunnel's latest IKE state and the "
		   "failures AWS logged",
	.needs = NEED_LOGS,
	.enable = "--vpn-logs FILE",
	.run = run,
};
