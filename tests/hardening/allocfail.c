/* Allocation-failure driver (curl's "torture" idea): for every input, run one parser once
 * to count its allocations, then again with allocation 1 failing, then 2, ... until a run
 * makes fewer allocations than the one that was to fail. Every run must come back (an error
 * or a success) without a crash, a sanitizer report, or a leak.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
 * (see the Makefile's check-asan block), so every allocation our code makes, and cJSON's
 * (cJSON_InitHooks), goes through the counters below. Allocations made inside libc, expat
 * (except through libdiag/xml.c's memory suite) and libpcap are not failed.
 *
 * Leaks: the sanitizer's count of bytes in use must be the same after each run as after
 * the clean run (LeakSanitizer at exit then names any leaked block with its stack).
 *
 *   allocfail KIND FILE...     KIND: devconf awsjson xml cgw ike ike-natt pcap vpnlog xfrm
 *                                    ini (~/.aws/config and credentials)
 *   AF_MAX=N                   stop after N failing runs per file (default: no limit)
 *
 * Prints one line per file and "allocfail KIND: N passed, N failed"; exit 1 on a failure. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "checks/aws_logs.h"
#include "libdiag/arena.h"
#include "libdiag/aws/cgw_config.h"
#include "libdiag/aws/creds.h"
#include "libdiag/aws/dump.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/aws/model.h"
#include "libdiag/aws/vpnlog.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/ike/ike_dump.h"
#include "libdiag/ike/ike_pcap.h"
#include "libdiag/report.h"
#include "libdiag/xfrm/xfrm.h"
#include "libdiag/xml.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
size_t __sanitizer_get_current_allocated_bytes(void);

static unsigned long af_count;   /* allocations since the run began */
static unsigned long af_fail_at; /* the one to fail (1-based); 0: none */
static bool af_hit;              /* did it fail one in this run */

static bool af_fail(void)
{
	if (++af_count == af_fail_at) {
		af_hit = true;
		errno = ENOMEM;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n)
{
	return af_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	return af_fail() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	return af_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return af_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return af_fail() ? NULL : __real_strndup(s, n);
}

/* ---- one run of each parser: returns 0 on success, -1 on an error it reported ------- */

static int bad_error(const struct diag_error *err)
{
	return err->code == 0 || err->what[0] == '\0';
}

/* an error must say something; returns -2 when it does not */
static int failed(const struct diag_error *err)
{
	return bad_error(err) ? -2 : -1;
}

static int run_devconf(const char *path, const char *buf, size_t len)
{
	struct devconf_model m;
	struct diag_error err = {0};
	int rc = devconf_parse(buf, len, DEVCONF_UNKNOWN, path, &m, &err);

	if (rc == 0)
		free(devconf_dump(&m));
	devconf_free(&m);
	return rc == 0 ? 0 : failed(&err);
}

static int run_awsjson(const char *path, const char *buf, size_t len)
{
	struct aws_model m;
	struct diag_error err = {0};
	int rc;

	aws_model_init(&m, (size_t)1 << 28);
	rc = aws_load_json(&m, buf, len, path, &err);
	if (rc == 0) {
		cJSON *d = aws_model_to_json(&m);

		free(cJSON_PrintUnformatted(d));
		cJSON_Delete(d);
	}
	aws_model_free(&m);
	return rc == 0 ? 0 : failed(&err);
}

static int run_xml(const char *path, const char *buf, size_t len)
{
	struct diag_error err = {0};
	cJSON *t = xml_to_tree(buf, len, path, &err);

	if (!t)
		return failed(&err);
	free(cJSON_PrintUnformatted(t));
	xml_tree_free(t);
	return 0;
}

static int run_cgw(const char *path, const char *buf, size_t len)
{
	struct arena a;
	struct aws_cgw_config *cfg = NULL;
	struct diag_error err = {0};
	int rc;

	(void)path;
	arena_init(&a, 0);
	rc = aws_cgw_config_parse(&a, buf, len, &cfg, &err);
	arena_free(&a);
	return rc == 0 ? 0 : failed(&err);
}

static void ike_dump(const struct ike_decoded *d)
{
	cJSON *j = ike_dump_json(d);

	if (j)
		free(ike_dump_text(j, "  "));
	cJSON_Delete(j);
}

static int run_ike_any(const char *buf, size_t len, bool natt)
{
	static struct ike_decoded d;
	struct diag_error err = {0};

	if (ike_decode_any((const uint8_t *)buf, len, natt, &d, &err))
		return failed(&err);
	ike_dump(&d);
	return 0;
}

static int run_ike(const char *path, const char *buf, size_t len)
{
	(void)path;
	return run_ike_any(buf, len, false);
}

static int run_ike_natt(const char *path, const char *buf, size_t len)
{
	(void)path;
	return run_ike_any(buf, len, true);
}

static int run_pcap(const char *path, const char *buf, size_t len)
{
	static struct ike_decoded d;
	struct ike_pcap *cap;
	struct ike_pcap_pkt p;
	struct diag_error err = {0};
	bool fatal = false;
	int r;

	(void)buf;
	(void)len;
	if (ike_pcap_open(path, &cap, &err))
		return failed(&err);
	for (int n = 0; n < 100000; n++) {
		struct diag_error e2 = {0};

		r = ike_pcap_next(cap, &p, &fatal, &e2);
		if (r == 0 || (r < 0 && fatal))
			break;
		if (r > 0 && p.kind == IKE_PKT_IKE &&
		    ike_decode_any(p.payload, p.len, p.natt, &d, &e2) == 0)
			ike_dump(&d);
	}
	ike_pcap_close(cap);
	return 0;
}

static int on_event(void *arg, const struct vpnlog_event *ev, struct diag_error *err)
{
	(void)err;
	(void)ev;
	++*(unsigned long *)arg;
	return 0;
}

static int run_vpnlog(const char *path, const char *buf, size_t len)
{
	struct diag_error err = {0};
	struct aws_logs *al;
	struct report rep;
	unsigned long n = 0;
	FILE *fp = fopen(path, "r");
	int rc;

	(void)buf;
	(void)len;
	if (!fp)
		return -2;
	rc = vpnlog_read_stats(fp, path, on_event, &n, NULL, &err);
	fclose(fp);
	if (rc && bad_error(&err))
		return -2;
	/* and the check that reads the same file and renders findings */
	if (!(al = aws_logs_new()))
		return -1;
	if (!(fp = fopen(path, "r"))) {
		aws_logs_free(al);
		return -2;
	}
	memset(&err, 0, sizeof err);
	(void)aws_logs_read(al, fp, path, &err);
	fclose(fp);
	report_init(&rep, "vpn-logs", "allocfail");
	aws_logs_findings(al, &rep);
	free(report_render(&rep, REPORT_JSON, 0));
	free(report_render(&rep, REPORT_TEXT, 0));
	free(report_render(&rep, REPORT_MARKDOWN, 0));
	report_free(&rep);
	aws_logs_free(al);
	return rc ? -1 : 0;
}

static int run_xfrm(const char *path, const char *buf, size_t len)
{
	struct xfrm_dump d;
	struct diag_error err = {0};
	int rc;

	(void)path;
	xfrm_dump_init(&d);
	rc = xfrm_decode((const uint8_t *)buf, len, &d, &err);
	if (rc == 0)
		free(xfrm_dump_text(&d));
	xfrm_dump_free(&d);
	return rc == 0 ? 0 : failed(&err);
}

static int on_ini(void *ctx, const char *section, const char *key, const char *value,
		  unsigned line)
{
	(void)section;
	(void)key;
	(void)value;
	(void)line;
	++*(unsigned long *)ctx;
	return 0;
}

static int run_ini(const char *path, const char *buf, size_t len)
{
	struct diag_error err = {0};
	unsigned long n = 0;

	return aws_ini_parse(buf, len, path, on_ini, &n, &err) == 0 ? 0 : failed(&err);
}

static const struct kind {
	const char *name;
	int (*run)(const char *path, const char *buf, size_t len);
} kinds[] = {
	{"devconf", run_devconf}, {"awsjson", run_awsjson}, {"xml", run_xml},
	{"cgw", run_cgw},         {"ike", run_ike},         {"ike-natt", run_ike_natt},
	{"pcap", run_pcap},       {"vpnlog", run_vpnlog},   {"xfrm", run_xfrm},
	{"ini", run_ini},
};

/* ---- the driver ------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!fp)
		return NULL;
	do {
		if (*len == cap) {
			char *nb = __real_realloc(buf, (cap = cap ? cap * 2 : 4096) + 1);

			if (!nb) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, fp);
		*len += n;
	} while (n > 0);
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

/* Runs every N for one file; returns the number of problems found. */
static int torture(const struct kind *k, const char *path, unsigned long max)
{
	size_t len, before, after;
	char *buf = slurp(path, &len);
	unsigned long clean, n, errors = 0, oks = 0;
	int problems = 0, rc;

	if (!buf) {
		printf("FAIL  %s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	/* twice clean: the first run may fill caches that live until exit */
	af_fail_at = 0;
	k->run(path, buf, len);
	before = __sanitizer_get_current_allocated_bytes();
	af_count = 0;
	rc = k->run(path, buf, len);
	clean = af_count;
	after = __sanitizer_get_current_allocated_bytes();
	if (rc == -2) {
		printf("FAIL  %s: clean run: error without code or message\n", path);
		problems++;
	}
	if (after != before) {
		printf("FAIL  %s: clean run: %zd bytes not freed\n", path,
		       (ssize_t)(after - before));
		problems++;
		before = after;
	}
	for (n = 1; !max || n <= max; n++) {
		af_count = 0;
		af_hit = false;
		af_fail_at = n;
		rc = k->run(path, buf, len);
		af_fail_at = 0;
		if (!af_hit)
			break;
		after = __sanitizer_get_current_allocated_bytes();
		if (after != before) {
			printf("FAIL  %s: allocation %lu failing: %zd bytes not freed\n", path, n,
			       (ssize_t)(after - before));
			before = after;
			problems++;
		}
		if (rc == -2) {
			printf("FAIL  %s: allocation %lu failing: error without code or message\n",
			       path, n);
			problems++;
		}
		rc ? errors++ : oks++;
	}
	printf("%s  %s: %lu allocations, %lu failing runs (%lu errors, %lu still succeeded)\n",
	       problems ? "FAIL" : "ok  ", path, clean, n - 1, errors, oks);
	free(buf);
	return problems;
}

int main(int argc, char **argv)
{
	const struct kind *k = NULL;
	const char *m = getenv("AF_MAX");
	unsigned long max = m ? strtoul(m, NULL, 10) : 0;
	int passed = 0, failures = 0;
	cJSON_Hooks hooks = {__wrap_malloc, free};

	if (argc < 3) {
		fprintf(stderr, "usage: allocfail KIND FILE...\n");
		return 64;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, argv[1]) == 0)
			k = &kinds[i];
	if (!k) {
		fprintf(stderr, "allocfail: %s: unknown kind\n", argv[1]);
		return 64;
	}
	cJSON_InitHooks(&hooks);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 2; i < argc; i++)
		torture(k, argv[i], max) ? failures++ : passed++;
	printf("allocfail %s: %d passed, %d failed\n", k->name, passed, failures);
	return failures ? 1 : 0;
}
