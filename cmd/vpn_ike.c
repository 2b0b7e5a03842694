/* vpn-ike probe: sends real IKEv2 IKE_SA_INIT / IKEv1 Main Mode requests and says, per
 * proposal, whether the responder accepts it (and with which transforms), refuses it
 * (NO_PROPOSAL_CHOSEN), wants another DH group (INVALID_KE_PAYLOAD, retried once),
 * asks for a COOKIE (honoured once), stays silent, or answers garbage.
 *
 * Exit status (libdiag/exitcode.h): 0 every proposal accepted (after an INVALID_KE retry
 * counts); 1 at least one no_proposal_chosen / invalid_ke without an accepted retry /
 * cookie / no_response (warn) or malformed answer (error); 64 usage; 66 --read-packet file
 * unreadable; 71 when the socket fails, 70 when OpenSSL or memory does (an unresolvable
 * HOST is a usage error, 64). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/ike_cmd.h"
#include "cmd/tools.h"
#include "libdiag/ike/ike_probe.h"
#include "libdiag/report.h"

static const char *const TOOL = "vpn-ike";

#define MAX_PROPOSALS 16

enum {
	OPT_V1 = 256, OPT_V2, OPT_PROPOSAL, OPT_PORT, OPT_JSON, OPT_WRITE, OPT_READ, OPT_FIXED,
	OPT_ENUMERATE, OPT_HALF_OPEN, OPT_HALF_OPEN_TIMEOUT, OPT_HELP, OPT_VERSION,
};

static const struct cli_opt options[] = {
	{OPT_V1, 0, "ikev1", NULL, "IKEv1 Main Mode"},
	{OPT_V2, 0, "ikev2", NULL, "IKEv2 IKE_SA_INIT (default)"},
	{OPT_PROPOSAL, 0, "proposal", "STR", "strongSwan proposal, repeatable (default "
					     "aes256-sha256-modp2048)"},
	{OPT_PORT, 0, "port", "PORT", "500 (default) or 4500 (NAT-T, non-ESP marker)"},
	{OPT_ENUMERATE, 0, "enumerate", NULL, "find every AWS phase 1 combination the "
					      "responder accepts"},
	{OPT_HALF_OPEN, 0, "half-open", "N", "--enumerate: at most N half-open SAs at the "
					     "responder at a time (default 3)"},
	{OPT_HALF_OPEN_TIMEOUT, 0, "half-open-timeout", "SECONDS",
	 "--enumerate: how long the responder keeps one (default 31)"},
	{OPT_JSON, 0, "json", NULL, "the report as JSON"},
	{OPT_WRITE, 0, "write-packet", "FILE", "write the first request to FILE; send nothing"},
	{OPT_READ, 0, "read-packet", "FILE", "decode a stored response instead of the network"},
	{OPT_FIXED, 0, "fixed", NULL, NULL}, /* tests: fixed SPI, nonce and key pair */
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{OPT_VERSION, 0, "version", NULL, "print the version"},
	{0, 0, NULL, NULL, NULL},
};

struct ike_cmd {
	int version;
	bool v1, v2;
	const char *props[MAX_PROPOSALS];
	size_t nprops;
	uint16_t port;
	bool json, fixed, help, show_version, enumerate;
	unsigned half_open, half_open_timeout_ms;
	bool half_open_timeout_set;
	const char *write_file, *read_file;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct ike_cmd *c = ctx;
	char flag[64];
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	switch (id) {
	case OPT_V1: c->v1 = true; break;
	case OPT_V2: c->v2 = true; break;
	case OPT_PROPOSAL:
		if (c->nprops == MAX_PROPOSALS)
			return cli_usage_error(TOOL, "%s: at most %d proposals", flag, MAX_PROPOSALS);
		c->props[c->nprops++] = arg;
		break;
	case OPT_PORT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 65535, "port", &n)) != 0)
			return rc;
		if (n != 500 && n != 4500)
			return cli_usage_error(TOOL, "%s %s: invalid port (500 or 4500)", flag, arg);
		c->port = (uint16_t)n;
		break;
	case OPT_ENUMERATE: c->enumerate = true; break;
	case OPT_HALF_OPEN:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 100000, "count", &n)) != 0)
			return rc;
		c->half_open = (unsigned)n;
		break;
	case OPT_HALF_OPEN_TIMEOUT:
		if ((rc = cli_integer(TOOL, flag, arg, 0, 3600, "seconds", &n)) != 0)
			return rc;
		c->half_open_timeout_ms = (unsigned)n * 1000;
		c->half_open_timeout_set = true;
		break;
	case OPT_JSON: c->json = true; break;
	case OPT_WRITE: c->write_file = arg; break;
	case OPT_READ: c->read_file = arg; break;
	case OPT_FIXED: c->fixed = true; break;
	case OPT_HELP: c->help = true; break;
	case OPT_VERSION: c->show_version = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* "aes256" for AES-CBC with a 256-bit key: the codec names the 128-bit form. */
static void transform_str(const struct ike_transform *t, char *out, size_t len)
{
	const char *name = ike_transform_name(t->type, t->id);
	const char *k = strstr(name, "128");

	if (t->type == IKE_T_ENCR && t->keylen && k)
		snprintf(out, len, "%.*s%u%s", (int)(k - name), name, (unsigned)t->keylen, k + 3);
	else if (strcmp(name, "unknown") == 0)
		snprintf(out, len, "type%u-id%u", (unsigned)t->type, (unsigned)t->id);
	else
		snprintf(out, len, "%s", name);
}

static void chosen_v2(const struct ike_proposal *p, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < p->n && used < len; i++) {
		char t[48];

		transform_str(&p->t[i], t, sizeof t);
		if (p->t[i].type == IKE_T_ESN)
			continue;
		used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "-" : "", t);
	}
}

static const char *v1_encr_name(uint16_t v)
{
	switch (v) {
	case 1: return "des";
	case 5: return "3des";
	case 7: return "aes";
	}
	return NULL;
}

static const char *v1_hash_name(uint16_t v)
{
	switch (v) {
	case 1: return "md5";
	case 2: return "sha1";
	case 4: return "sha256";
	case 5: return "sha384";
	case 6: return "sha512";
	}
	return NULL;
}

static void chosen_v1(const struct ike_v1_transform *t, char *out, size_t len)
{
	const char *e = v1_encr_name(t->encr), *h = v1_hash_name(t->hash);
	char es[24], hs[16];

	if (e && t->keylen)
		snprintf(es, sizeof es, "%s%u", e, (unsigned)t->keylen);
	else if (e)
		snprintf(es, sizeof es, "%s", e);
	else
		snprintf(es, sizeof es, "encr%u", (unsigned)t->encr);
	if (h)
		snprintf(hs, sizeof hs, "%s", h);
	else
		snprintf(hs, sizeof hs, "hash%u", (unsigned)t->hash);
	snprintf(out, len, "%s-%s-%s (auth %u, lifetime %u s)", es, hs,
		 ike_transform_name(IKE_T_DH, t->group), (unsigned)t->auth, (unsigned)t->life);
}

static const char *nat_name(enum ike_nat n)
{
	return n == IKE_NAT_DETECTED ? "detected" : n == IKE_NAT_NONE ? "none" : "unknown";
}

/* One finding for one proposal. */
static void add_finding(struct report *r, const struct ike_cmd *c, const char *subject,
			const char *prop, const struct ike_probe_out *o)
{
	const struct ike_verdict *v = &o->first, *fin = o->retried ? &o->retry : &o->first;
	char chosen[256] = "";
	enum diag_status st;
	struct finding *f;

	if (fin->result == IKE_PR_ACCEPTED) {
		if (c->version == 1)
			chosen_v1(&fin->chosen1, chosen, sizeof chosen);
		else
			chosen_v2(&fin->chosen, chosen, sizeof chosen);
	}
	st = fin->result == IKE_PR_ACCEPTED ? DIAG_PASS
	     : fin->result == IKE_PR_MALFORMED ? DIAG_ERROR : DIAG_WARN;
	if (v->result == IKE_PR_INVALID_KE && o->retried)
		f = report_add(r, "ike.probe", st, subject,
			       "%s: invalid_ke, the responder wants group %u (%s); retry: %s%s%s",
			       prop, (unsigned)v->group, ike_transform_name(IKE_T_DH, v->group),
			       ike_probe_result_name(fin->result), chosen[0] ? " " : "", chosen);
	else if (v->result == IKE_PR_INVALID_KE)
		f = report_add(r, "ike.probe", st, subject, "%s: invalid_ke, group %u", prop,
			       (unsigned)v->group);
	else if (v->result == IKE_PR_MALFORMED)
		f = report_add(r, "ike.probe", st, subject, "%s: malformed answer: %s", prop,
			       v->detail);
	else if (v->result == IKE_PR_NO_RESPONSE)
		f = report_add(r, "ike.probe", st, subject, "%s: no_response after %u requests",
			       prop, o->sent);
	else
		f = report_add(r, "ike.probe", st, subject, "%s: %s%s%s", prop,
			       ike_probe_result_name(v->result), chosen[0] ? " " : "", chosen);
	finding_ev_str(f, "proposal", prop);
	finding_ev_num(f, "ike_version", c->version);
	finding_ev_str(f, "result", ike_probe_result_name(v->result));
	if (v->result == IKE_PR_INVALID_KE) {
		finding_ev_num(f, "group", v->group);
		if (o->retried)
			finding_ev_str(f, "retry_result", ike_probe_result_name(fin->result));
	}
	if (chosen[0])
		finding_ev_str(f, "chosen", chosen);
	if (v->detail[0])
		finding_ev_str(f, "detail", v->detail);
	finding_ev_bool(f, "cookie_honoured", o->cookie_honoured);
	finding_ev_str(f, "nat", nat_name(fin->nat));
	if (!c->read_file) {
		finding_ev_num(f, "local_port", o->local_port);
		finding_ev_bool(f, "bound_ike_port", o->bound_500);
		finding_ev_num(f, "sent", o->sent);
		finding_ev_num(f, "received", o->received);
	}
	if (fin->result == IKE_PR_NO_RESPONSE)
		finding_fix(f, "Send from the customer gateway IP registered with AWS and allow UDP "
			       "500/4500 both ways; AWS drops IKE from any other source silently.");
	else if (fin->result == IKE_PR_NO_PROPOSAL)
		finding_fix(f, "Use a proposal the tunnel allows (its Phase 1 encryption, "
			       "integrity and DH group lists).");
}

static int read_packet(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	*len = fread(buf, 1, cap, fp);
	if (ferror(fp)) {
		fprintf(stderr, "%s: %s: read error\n", TOOL, path);
		fclose(fp);
		return DIAG_EXIT_NOINPUT;
	}
	fclose(fp);
	return 0;
}

static int write_packet(const struct ike_cmd *c, const struct ike_proposal *p)
{
	struct ike_probe_opts o = {.version = c->version, .port = c->port, .prop = p,
				   .fixed = c->fixed};
	struct diag_error err = {0};
	struct ike_buf b = {0};
	uint8_t spi[8];
	char msg[512];
	FILE *fp;
	int rc = 0;

	if (ike_probe_build(&o, 0, NULL, 0, NULL, NULL, spi, &b, &err) < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	if (!(fp = fopen(c->write_file, "wb")) || fwrite(b.p, 1, b.len, fp) != b.len) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, c->write_file, strerror(errno));
		rc = DIAG_EXIT_OSERR;
	}
	if (fp && fclose(fp) != 0 && !rc) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, c->write_file, strerror(errno));
		rc = DIAG_EXIT_OSERR;
	}
	ike_buf_free(&b);
	return rc;
}

/* The stored response's IKE version from its header (byte 17), unless forced. */
static int packet_version(const struct ike_cmd *c, const uint8_t *buf, size_t len)
{
	size_t off = c->port == 4500 ? 4 : 0;

	if (c->v1 || c->v2)
		return c->version;
	if (len > off + 17 && (buf[off + 17] >> 4) == 1)
		return 1;
	return 2;
}

static void enum_progress(void *ctx, unsigned requests, size_t accepted)
{
	(void)ctx;
	fprintf(stderr, "\rvpn-ike: enumerating: %u requests, %zu accepted ", requests, accepted);
}

static int run_enumerate(struct ike_cmd *c, const char *host, struct report *r)
{
	static struct ike_enum_result res;
	struct ike_enum_opts o = {.version = c->version, .host = host, .port = c->port,
				  .half_open = c->half_open ? c->half_open : 3,
				  .half_open_timeout_ms = c->half_open_timeout_ms};
	struct diag_error err = {0};
	char subject[300], msg[512];
	bool tty = isatty(STDERR_FILENO);
	int rc;

	if (!c->half_open_timeout_set)
		o.half_open_timeout_ms = 31000;
	if (tty)
		o.progress = enum_progress;
	snprintf(subject, sizeof subject, "%s:%u/udp IKEv%d", host, (unsigned)c->port,
		 c->version);
	rc = ike_enum_run(&o, &res, &err);
	if (tty)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
		return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
	}
	if (!c->json)
		printf("%s: from local port %u (%s)\n", subject, (unsigned)res.local_port,
		       res.bound_port ? "bound to the IKE port"
				      : "ephemeral: the IKE port is taken or not permitted");
	ike_enum_report(r, subject, &res, c->json);
	return 0;
}

static int run(struct ike_cmd *c, const char *host, struct report *r)
{
	static struct ike_proposal props[MAX_PROPOSALS];
	static uint8_t pkt[IKE_MSG_MAX + 4];
	struct diag_error err = {0};
	char subject[300], msg[512];
	size_t pkt_len = 0;
	int rc;

	for (size_t i = 0; i < c->nprops; i++)
		if (ike_proposal_parse(c->props[i], &props[i], &err) < 0)
			return cli_usage_error(TOOL, "--%s", diag_error_text(&err, msg, sizeof msg));
	if (c->write_file)
		return write_packet(c, &props[0]);
	if (c->enumerate)
		return run_enumerate(c, host, r);
	if (c->read_file) {
		if ((rc = read_packet(c->read_file, pkt, sizeof pkt, &pkt_len)) != 0)
			return rc;
		c->version = packet_version(c, pkt, pkt_len);
		snprintf(subject, sizeof subject, "%s", c->read_file);
	} else {
		snprintf(subject, sizeof subject, "%s:%u/udp IKEv%d", host, (unsigned)c->port,
			 c->version);
	}
	for (size_t i = 0; i < c->nprops; i++) {
		struct ike_probe_opts o = {.version = c->version, .host = host, .port = c->port,
					   .prop = &props[i], .fixed = c->fixed};
		struct ike_probe_out out;

		memset(&out, 0, sizeof out);
		if (c->read_file) {
			bool natt = c->port == 4500;

			if (c->version == 1)
				ike_probe_classify_v1(pkt, pkt_len, natt, NULL, &out.first);
			else
				ike_probe_classify_v2(pkt, pkt_len, natt, NULL, NULL, &out.first);
			add_finding(r, c, subject, "(stored response)", &out);
			break; /* one stored answer: one finding */
		}
		if (ike_probe_run(&o, &out, &err) < 0) {
			fprintf(stderr, "%s: %s\n", TOOL, diag_error_text(&err, msg, sizeof msg));
			return err.code ? (int)err.code : DIAG_EXIT_SOFTWARE;
		}
		if (i == 0 && !c->json)
			printf("%s: from local port %u (%s)\n", subject, (unsigned)out.local_port,
			       out.bound_500 ? "bound to the IKE port"
					     : "ephemeral: the IKE port is taken or not permitted");
		add_finding(r, c, subject, c->props[i], &out);
		if (!c->json) {
			struct finding *f = &r->findings[r->n - 1];
			cJSON *nat = cJSON_GetObjectItemCaseSensitive(f->evidence, "nat");

			printf("%s [%s] nat=%s\n", f->summary, diag_status_name(f->status),
			       cJSON_IsString(nat) ? nat->valuestring : "unknown");
			fflush(stdout);
		}
	}
	return 0;
}

int vpn_ike_main(int argc, char **argv)
{
	struct ike_cmd c;
	struct report r;
	const char *host = NULL;
	int first = 0, rc;

	if (argc > 1 && strcmp(argv[1], "decode") == 0)
		return ike_decode_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return ike_check_main(argc - 1, argv + 1);
	memset(&c, 0, sizeof c);
	c.port = 500;
	rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first);
	if (rc)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "probe HOST [--ikev1|--ikev2] [--proposal STR]... "
					"[--enumerate] [--port 500|4500] [--json] "
					"[--write-packet FILE] [--read-packet FILE]\n"
					"       vpn-ike decode [--port 500|4500] [--json] FILE | "
					"--pcap FILE\n"
					"       vpn-ike check --config FILE [--aws-dir DIR | --live] "
					"[--json] (vpn-ike check --help)",
			  options);
		return DIAG_EXIT_PASS;
	}
	if (c.show_version) {
		printf("%s %s\n", TOOL, VPN_DOCTOR_VERSION);
		return DIAG_EXIT_PASS;
	}
	if (first >= argc || strcmp(argv[first], "probe") != 0)
		return cli_usage_error(TOOL, "usage: %s probe HOST [options] (try --help)", TOOL);
	if (c.v1 && c.v2)
		return cli_usage_error(TOOL, "--ikev1 and --ikev2: choose one");
	if (c.enumerate && (c.nprops || c.write_file || c.read_file))
		return cli_usage_error(TOOL, "--enumerate searches AWS's phase 1 values: no "
					     "--proposal, --write-packet or --read-packet with it");
	if ((c.half_open || c.half_open_timeout_set) && !c.enumerate)
		return cli_usage_error(TOOL, "--half-open and --half-open-timeout go with "
					     "--enumerate");
	if (c.write_file && c.read_file)
		return cli_usage_error(TOOL, "--write-packet and --read-packet: choose one");
	c.version = c.v1 ? 1 : 2;
	if (first + 1 < argc)
		host = argv[first + 1];
	if (first + 2 < argc)
		return cli_usage_error(TOOL, "%s: unexpected operand", argv[first + 2]);
	if (!host && !c.read_file && !c.write_file)
		return cli_usage_error(TOOL, "probe: no HOST given");
	if (!c.nprops)
		c.props[c.nprops++] = "aes256-sha256-modp2048";
	report_init(&r, TOOL, VPN_DOCTOR_VERSION);
	rc = run(&c, host, &r);
	if (rc == 0 && !c.write_file) {
		if (c.json) {
			char *s = report_render(&r, REPORT_JSON, 0);

			if (!s) {
				fprintf(stderr, "%s: out of memory\n", TOOL);
				rc = DIAG_EXIT_SOFTWARE;
			} else {
				fputs(s, stdout);
				if (!*s || s[strlen(s) - 1] != '\n')
					putchar('\n');
				free(s);
			}
		} else if (c.read_file && r.n) {
			printf("%s [%s]\n", r.findings[0].summary,
			       diag_status_name(r.findings[0].status));
		}
		if (rc == 0)
			rc = r.oom ? DIAG_EXIT_SOFTWARE : report_exit_code(&r);
	}
	report_free(&r);
	return rc;
}
