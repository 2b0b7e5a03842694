/* The ike.config prediction against a real connection: the configuration AWS generated for
 * the batfish sample VPN connection (the CustomerGatewayConfiguration XML inside
 * VpnConnections.json, and AWS's generated Cisco IOS text) is judged compatible with that
 * connection's tunnels (VpnConnections.json loaded as AWS evidence); then each classic
 * mistake is planted into a copy written to a temporary directory at test time, and the
 * report must name it with the right finding, verdict, prediction and fix. The samples are
 * read from ../shared/samples (skipped with a message when absent) and never copied into
 * the project.
 *
 * Also the rules themselves on hand-made models: IKEv2 per-type choice of the lowest
 * allowed value, IKEv1 whole transforms, PFS at rekey on IKEv2, AWS-initiated IKEv2,
 * TunnelOptions matched by outside address, no evidence = defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "checks/ike_config.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/devconf/devconf.h"
#include "testutil.h"

#define SAMPLE_DIR "../shared/samples/batfish/representation/aws/test-vpn-gateway/"
#define SAMPLE_JSON SAMPLE_DIR "aws_configs/VpnConnections.json"
#define SAMPLE_IOS SAMPLE_DIR "configs/vpn-03701a53bba3c48b7.txt"
#define TUN1 "3.130.237.53"
#define TUN2 "18.217.248.9"

struct fixture {
	char dir[64];           /* the temporary directory of the copies */
	char *xml, *ios;        /* the sample configurations */
	struct aws_model aws;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct diag_error err = {0};
	char *json;
	size_t len;
	cJSON *root;
	const cJSON *x;

	assert_non_null(f);
	*state = f;
	if (!(json = read_file(SAMPLE_JSON, &len)))
		return 0; /* each test skips */
	root = cJSON_Parse(json);
	assert_non_null(root);
	x = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "VpnConnections"), 0),
				"CustomerGatewayConfiguration");
	assert_true(cJSON_IsString(x));
	f->xml = strdup(x->valuestring);
	cJSON_Delete(root);
	free(json);
	f->ios = read_file(SAMPLE_IOS, &len);
	aws_model_init(&f->aws, 0);
	assert_int_equal(aws_load_file(&f->aws, SAMPLE_JSON, &err), 0);
	snprintf(f->dir, sizeof f->dir, "/tmp/test-ike-check.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->xml) {
		char cmd[128];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
		assert_int_equal(system(cmd), 0);
		aws_model_free(&f->aws);
	}
	free(f->xml);
	free(f->ios);
	free(f);
	return 0;
}

static void need_samples(const struct fixture *f)
{
	if (!f->xml) {
		print_message("skipped: %s absent\n", SAMPLE_JSON);
		skip();
	}
}

/* text with from replaced by to (the first occurrence, or all). from must occur. */
static char *plant(const char *text, const char *from, const char *to, bool all)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	const char *p = text;
	char *out, *o;

	while ((p = strstr(p, from)) != NULL) {
		n++;
		p += fl;
		if (!all)
			break;
	}
	if (n == 0)
		fail_msg("the sample no longer contains \"%s\"", from);
	out = malloc(strlen(text) + n * tl + 1);
	assert_non_null(out);
	o = out;
	for (p = text; n-- > 0;) {
		const char *hit = strstr(p, from);

		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, to, tl);
		o += tl;
		p = hit + fl;
	}
	strcpy(o, p);
	return out;
}

/* Removes every line containing needle. */
static char *drop_lines(const char *text, const char *needle)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	const char *p = text;

	assert_non_null(out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		char line[2048];

		snprintf(line, sizeof line, "%.*s", (int)n, p);
		if (!strstr(line, needle)) {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/* Removes the first <tag>...</tag> (the first tunnel's), whatever its text. */
static char *drop_element(const char *text, const char *tag)
{
	char open[64], close[64], *out;
	const char *a, *b;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	if (!(a = strstr(text, open)) || !(b = strstr(a, close)))
		fail_msg("the sample no longer contains <%s>", tag);
	b += strlen(close);
	out = malloc(strlen(text) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(a - text));
	strcpy(out + (a - text), b);
	return out;
}

enum tweak { TW_NONE, TW_RESPOND, TW_IKEV2 };

struct judged {
	struct devconf_model m;
	struct report rep;
	struct ike_tunnel_prediction *tp;
	size_t n;
};

/* Writes text to the temporary directory as name, reads the copy back, parses it,
 * applies the tweak to every peer (for what a format cannot say) and judges it against
 * the sample connection. */
static void judge(struct fixture *f, const char *name, const char *text, enum tweak tw,
		  struct judged *j)
{
	char path[128], *copy, buf[512];
	struct diag_error err = {0};
	size_t len;
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	copy = must_read_file(path, &len);
	if (devconf_parse(copy, len, DEVCONF_UNKNOWN, path, &j->m, &err) != 0)
		fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
	free(copy);
	for (size_t i = 0; i < j->m.npeers; i++) {
		if (tw == TW_RESPOND)
			j->m.peers[i].startup = DEVCONF_START_RESPOND;
		else if (tw == TW_IKEV2)
			j->m.peers[i].ike_versions = 2;
	}
	assert_int_equal(ike_predict(&j->m, &f->aws, NULL, &j->tp, &j->n), 0);
	report_init(&j->rep, "vpn-ike", "test");
	ike_config_findings(j->tp, j->n, &j->rep);
	assert_false(j->rep.oom);
}

static void judged_free(struct judged *j)
{
	report_free(&j->rep);
	free(j->tp);
	devconf_free(&j->m);
}

static const struct ike_tunnel_prediction *tunnel(const struct judged *j, const char *ip)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->tp[i].peer->remote_addr && strcmp(j->tp[i].peer->remote_addr, ip) == 0)
			return &j->tp[i];
	fail_msg("no peer for %s", ip);
	return NULL;
}

static const struct finding *finding(const struct judged *j, const char *check, const char *ip)
{
	char subj[64];

	snprintf(subj, sizeof subj, "tunnel %s ", ip);
	for (size_t i = 0; i < j->rep.n; i++)
		if (strcmp(j->rep.findings[i].check, check) == 0 &&
		    strncmp(j->rep.findings[i].subject, subj, strlen(subj)) == 0)
			return &j->rep.findings[i];
	fail_msg("no %s finding for %s", check, ip);
	return NULL;
}

static const char *ev(const struct finding *fd, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(fd->evidence, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Both tunnels established with AES128/SHA1/group 2, matched to the sample connection,
 * every finding passing. */
static void expect_compatible(const struct judged *j)
{
	static const char *const ips[] = {TUN1, TUN2};

	assert_int_equal(j->n, 2);
	for (size_t t = 0; t < 2; t++) {
		const struct ike_tunnel_prediction *tp = tunnel(j, ips[t]);

		assert_true(tp->aws_matched);
		assert_string_equal(tp->vpn_connection_id, "vpn-03701a53bba3c48b7");
		assert_int_equal(tp->tunnel_index, (int)t + 1);
		assert_int_equal(tp->version, 1);
		assert_int_equal(tp->outcome, IKE_OUT_ESTABLISHED);
		assert_string_equal(tp->chosen_phase1, "aes128-sha1-modp1024");
		assert_string_equal(tp->chosen_phase2, "aes128-sha1-modp1024");
	}
	for (size_t i = 0; i < j->rep.n; i++) {
		const struct finding *fd = &j->rep.findings[i];

		if (fd->status != DIAG_PASS)
			fail_msg("%s %s: %s", fd->check, diag_status_name(fd->status), fd->summary);
		assert_string_equal(ev(fd, "prediction"), "established");
	}
	assert_int_equal(report_exit_code(&j->rep), 0);
}

static void test_sample_xml_compatible(void **state)
{
	struct fixture *f = *state;
	struct judged j;

	need_samples(f);
	judge(f, "cgw.xml", f->xml, TW_NONE, &j);
	assert_int_equal(j.m.format, DEVCONF_AWS_XML);
	expect_compatible(&j);
	judged_free(&j);
}

static void test_sample_ios_compatible(void **state)
{
	struct fixture *f = *state;
	struct judged j;

	need_samples(f);
	if (!f->ios) {
		print_message("skipped: %s absent\n", SAMPLE_IOS);
		skip();
	}
	judge(f, "cgw-ios.txt", f->ios, TW_NONE, &j);
	assert_int_equal(j.m.format, DEVCONF_CISCO_IOS);
	expect_compatible(&j);
	judged_free(&j);
}

/* One planted mistake: where, how, and what the report must say about tunnel 1 (and,
 * when only tunnel 1 was changed, that tunnel 2 is still fine). */
struct mistake {
	const char *name;
	bool ios;               /* plant into the IOS text instead of the XML */
	const char *from, *to;  /* to NULL: drop the lines containing from */
	bool all;               /* every occurrence (IOS policies are global) */
	enum tweak tweak;
	const char *check;
	enum diag_status status;
	const char *prediction;
	const char *fix;        /* a substring of the fix */
	const char *summary;    /* a substring of the summary */
};

static const struct mistake mistakes[] = {
	{"dh5-phase1", false, "<perfect_forward_secrecy>group2</perfect_forward_secrecy>",
	 "<perfect_forward_secrecy>group5</perfect_forward_secrecy>", false, TW_NONE,
	 "ike.phase1", DIAG_FAIL, "phase1_fails", "DH groups 1 and 5",
	 "DH group modp1536 (group 5) not allowed (group 5 is a phase 2 group only)"},
	{"3des-phase1", false, "<encryption_protocol>aes-128-cbc</encryption_protocol>",
	 "<encryption_protocol>3des-cbc</encryption_protocol>", false, TW_NONE, "ike.phase1",
	 DIAG_FAIL, "phase1_fails", "never accepts 3DES", "encryption 3des not allowed"},
	{"3des-phase2", false, "<encryption_protocol>aes-128-cbc</encryption_protocol>\n"
			       "      <lifetime>3600",
	 "<encryption_protocol>3des-cbc</encryption_protocol>\n      <lifetime>3600", false,
	 TW_NONE, "ike.phase2", DIAG_FAIL, "phase2_fails", "never accepts 3DES",
	 "encryption 3des not allowed"},
	{"phase2-lifetime-28800", false, "<lifetime>3600</lifetime>", "<lifetime>28800</lifetime>",
	 false, TW_NONE, "ike.lifetime", DIAG_WARN, "established",
	 "set the phase 2 lifetime to 3600s or less",
	 "phase 2 lifetime 28800s is beyond AWS's 3600s"},
	{"aggressive", false, "<mode>main</mode>", "<mode>aggressive</mode>", false, TW_NONE,
	 "ike.mode", DIAG_FAIL, "phase1_fails", "use main mode",
	 "aggressive mode is not supported"},
	/* the XML cannot say who initiates: the parsed model is told the device only responds */
	{"only-responds", false, NULL, NULL, false, TW_RESPOND, "ike.initiation", DIAG_FAIL,
	 "not_initiated", "make the device initiate", "nobody starts IKE"},
	{"psk-missing", false, "pre_shared_key", NULL, false, TW_NONE, "ike.psk", DIAG_FAIL,
	 "phase1_fails", "configure the tunnel's pre-shared key", "no pre-shared key"},
	{"phase1-lifetime-86400", false, "<lifetime>28800</lifetime>",
	 "<lifetime>86400</lifetime>", false, TW_NONE, "ike.lifetime", DIAG_WARN, "established",
	 "set the phase 1 lifetime to 28800s or less",
	 "phase 1 lifetime 86400s is beyond AWS's 28800s"},
	{"pfs-group1", false, "<perfect_forward_secrecy>group2</perfect_forward_secrecy>\n"
			      "      <mode>tunnel",
	 "<perfect_forward_secrecy>group1</perfect_forward_secrecy>\n      <mode>tunnel", false,
	 TW_NONE, "ike.phase2", DIAG_FAIL, "phase2_fails", "PFS group this tunnel allows",
	 "PFS group modp768 (group 1) not allowed"},
	/* the same PFS mistake on IKEv2: the first CHILD_SA comes up, the first rekey fails */
	{"pfs-group1-ikev2", false, "<perfect_forward_secrecy>group2</perfect_forward_secrecy>\n"
				    "      <mode>tunnel",
	 "<perfect_forward_secrecy>group1</perfect_forward_secrecy>\n      <mode>tunnel", false,
	 TW_IKEV2, "ike.phase2", DIAG_FAIL, "phase2_fails_at_rekey", "enable PFS",
	 "fails at rekey"},
	/* the same mistakes in AWS's generated IOS text (policies are global: every one) */
	{"ios-dh5", true, "  group 2\n", "  group 5\n", true, TW_NONE, "ike.phase1", DIAG_FAIL,
	 "phase1_fails", "DH groups 1 and 5", "group 5"},
	{"ios-3des", true, "  encr aes\n", "  encr 3des\n", true, TW_NONE, "ike.phase1",
	 DIAG_FAIL, "phase1_fails", "never accepts 3DES", "encryption 3des not allowed"},
	{"ios-phase2-lifetime", true, "lifetime seconds 3600", "lifetime seconds 28800", true,
	 TW_NONE, "ike.lifetime", DIAG_WARN, "established",
	 "set the phase 2 lifetime to 3600s or less", "beyond AWS's 3600s"},
	{"ios-psk-missing", true, "pre-shared-key address", NULL, true, TW_NONE, "ike.psk",
	 DIAG_FAIL, "phase1_fails", "pre-shared key", "no pre-shared key"},
	{"ios-phase1-lifetime", true, "  lifetime 28800\n", "  lifetime 86400\n", true, TW_NONE,
	 "ike.lifetime", DIAG_WARN, "established", "phase 1 lifetime to 28800s or less",
	 "beyond AWS's 28800s"},
	{"ios-pfs-group1", true, "set pfs group2", "set pfs group1", true, TW_NONE, "ike.phase2",
	 DIAG_FAIL, "phase2_fails", "PFS group this tunnel allows", "group 1"},
};

static void run_mistake(struct fixture *f, const struct mistake *mk)
{
	const char *base = mk->ios ? f->ios : f->xml;
	char *text, name[80];
	const struct finding *fd;
	struct judged j;
	bool both;

	if (!mk->from)
		text = strdup(base);
	else if (!mk->to && mk->all)
		text = drop_lines(base, mk->from);
	else if (!mk->to)
		text = drop_element(base, mk->from);
	else
		text = plant(base, mk->from, mk->to, mk->all);
	assert_non_null(text);
	snprintf(name, sizeof name, "%s.%s", mk->name, mk->ios ? "txt" : "xml");
	judge(f, name, text, mk->tweak, &j);
	fd = finding(&j, mk->check, TUN1);
	if (fd->status != mk->status || !strstr(fd->fix ? fd->fix : "", mk->fix) ||
	    !strstr(fd->summary, mk->summary) || strcmp(ev(fd, "prediction"), mk->prediction))
		fail_msg("%s: %s %s, prediction %s: %s\n  fix: %s", mk->name, fd->check,
			 diag_status_name(fd->status), ev(fd, "prediction"), fd->summary,
			 fd->fix ? fd->fix : "(none)");
	/* planted into tunnel 1 only (or into both) */
	both = mk->all || mk->tweak == TW_RESPOND;
	fd = finding(&j, mk->check, TUN2);
	if (fd->status != (both ? mk->status : DIAG_PASS))
		fail_msg("%s: tunnel 2 %s: %s", mk->name, diag_status_name(fd->status),
			 fd->summary);
	assert_int_equal(report_exit_code(&j.rep), mk->status == DIAG_FAIL ? 2 : 1);
	judged_free(&j);
	free(text);
}

static void test_planted_mistakes(void **state)
{
	struct fixture *f = *state;

	need_samples(f);
	for (size_t i = 0; i < sizeof mistakes / sizeof *mistakes; i++) {
		if (mistakes[i].ios && !f->ios) {
			print_message("skipped %s: %s absent\n", mistakes[i].name, SAMPLE_IOS);
			continue;
		}
		run_mistake(f, &mistakes[i]);
	}
}

/* ---- the rules on hand-made models ---------------------------------------------------- */

static struct devconf_peer *peer(struct devconf_model *m, const char *remote, unsigned versions,
				 const char *ike, const char *esp)
{
	struct devconf_peer *p = devconf_add_peer(m, "p", 1);
	struct devconf_child *c;
	struct diag_error err = {0};
	char buf[256], *tok, *save = NULL;

	assert_non_null(p);
	p->remote_addr = remote;
	p->ike_versions = versions;
	p->startup = DEVCONF_START_INITIATE;
	p->psk_set = true;
	p->dpd_delay_s = 10;
	snprintf(buf, sizeof buf, "%s", ike);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		assert_int_equal(devconf_add_strongswan(m, 1, tok, false, p->ike, &p->nike, &err),
				 0);
	assert_non_null(c = devconf_add_child(m, p, "c", 2));
	snprintf(buf, sizeof buf, "%s", esp);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		assert_int_equal(devconf_add_strongswan(m, 2, tok, true, c->esp, &c->nesp, &err),
				 0);
	return p;
}

static void predict_one(struct devconf_model *m, const struct aws_model *aws,
			struct ike_tunnel_prediction *out)
{
	struct ike_tunnel_prediction *tp;
	size_t n;

	assert_int_equal(ike_predict(m, aws, NULL, &tp, &n), 0);
	assert_int_equal(n, 1);
	*out = tp[0];
	free(tp);
}

static void test_rules_ikev2_lowest(void **state)
{
	struct devconf_model m = {0};
	struct ike_tunnel_prediction tp;

	(void)state;
	arena_init(&m.arena, 0);
	m.file = "t";
	/* AWS takes its lowest allowed value per type, whatever the device's order; 3des and
	 * modp1536 are passed over, not fatal */
	peer(&m, "192.0.2.1", 2, "3des-aes256-aes128-sha512-sha256-modp1536-ecp384-modp2048",
	     "aes256gcm16-aes128gcm16-modp3072");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_ESTABLISHED);
	assert_false(tp.aws_matched);
	assert_non_null(strstr(tp.aws_side, "no AWS evidence"));
	assert_string_equal(tp.chosen_phase1, "aes128-sha256-modp2048");
	assert_string_equal(tp.chosen_phase2, "aes128gcm16-modp3072");
	/* the device's first key exchange (modp1536) is refused with INVALID_KE_PAYLOAD */
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary, "INVALID_KE_PAYLOAD"));
	devconf_free(&m);

	/* of two matching proposals, the lower one, whatever the device's order */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 2, "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048",
	     "aes256gcm16-ecp384,aes256-sha512-modp2048");
	predict_one(&m, NULL, &tp);
	assert_string_equal(tp.chosen_phase1, "aes256-sha256-modp2048");
	assert_string_equal(tp.chosen_phase2, "aes256-sha512-modp2048");
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary, "from device proposal 2"));
	devconf_free(&m);
}

static void test_rules_ikev1_whole(void **state)
{
	struct devconf_model m = {0};
	struct ike_tunnel_prediction tp;

	(void)state;
	arena_init(&m.arena, 0);
	m.file = "t";
	/* IKEv1: transforms are whole; the first AWS allows entirely wins */
	peer(&m, "192.0.2.1", 1,
	     "aes256-md5-modp2048,aes256-sha256-modp1536,aes256-sha384-modp4096",
	     "aes256-sha1-modp2048");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_ESTABLISHED);
	assert_string_equal(tp.chosen_phase1, "aes256-sha384-modp4096");
	devconf_free(&m);

	/* of two whole transforms AWS allows, the lowest by AWS's order, not the device's */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 1, "aes256-sha256-modp2048,aes128-sha512-modp4096,aes128-sha1-ecp256",
	     "aes256-sha256-modp2048,aes128-sha1-modp2048");
	predict_one(&m, NULL, &tp);
	assert_string_equal(tp.chosen_phase1, "aes128-sha1-ecp256");
	assert_string_equal(tp.chosen_phase2, "aes128-sha1-modp2048");
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary, "from device proposal 3"));
	devconf_free(&m);

	/* Quick Mode carries one KE payload: a proposal with another PFS group than the
	 * first's is not offered */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 1, "aes128-sha1-modp1024",
	     "3des-sha1-modp1024,aes256-sha256-modp2048");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_PHASE2);
	assert_non_null(strstr(tp.items[IKE_I_PHASE2].summary, "one KE payload"));
	devconf_free(&m);

	/* an IKEv1 proposal offers the first algorithm of each type only */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 1, "3des-aes256-md5-sha1-modp1536-modp2048", "aes256-sha1-modp2048");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_PHASE1);
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary,
			       "IKEv1 offers only the first algorithm of each type: "
			       "3des-md5-modp1536"));
	devconf_free(&m);

	/* IKEv1 and IKEv2 configured, AWS allows IKEv1 only: strongSwan starts with IKEv2
	 * and does not fall back */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	m.format = DEVCONF_SWANCTL;
	peer(&m, "192.0.2.1", 3, "aes128-sha1-modp2048", "aes128-sha1-modp2048");
	{
		static const char v1only[] =
			"{\"VpnConnections\":[{\"VpnConnectionId\":\"vpn-2\",\"Options\":"
			"{\"TunnelOptions\":[{\"OutsideIpAddress\":\"192.0.2.1\","
			"\"IkeVersions\":[{\"Value\":\"ikev1\"}]}]}}]}";
		struct aws_model aws;
		struct diag_error err = {0};

		aws_model_init(&aws, 0);
		assert_int_equal(aws_load_json(&aws, v1only, strlen(v1only), "v1.json", &err), 0);
		predict_one(&m, &aws, &tp);
		assert_int_equal(tp.outcome, IKE_OUT_PHASE1);
		assert_non_null(strstr(tp.items[IKE_I_VERSION].summary, "does not fall back"));
		/* PAN-OS ikev2-preferred does */
		m.format = DEVCONF_PANOS;
		predict_one(&m, &aws, &tp);
		assert_int_equal(tp.outcome, IKE_OUT_ESTABLISHED);
		assert_int_equal(tp.version, 1);
		aws_model_free(&aws);
	}
	devconf_free(&m);

	/* no transform combines allowed values, though each value appears somewhere */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 1, "aes128-md5-modp2048,3des-sha1-modp2048", "aes128-sha1-modp2048");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_PHASE1);
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary, "integrity md5 not allowed"));
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].summary, "encryption 3des not allowed"));
	devconf_free(&m);

	/* IKEv1 phase 2 without PFS: Quick Mode fails at once */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 1, "aes128-sha1-modp2048", "aes128-sha1");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_PHASE2);
	assert_non_null(strstr(tp.items[IKE_I_PHASE2].summary, "no PFS group"));
	devconf_free(&m);

	/* the same on IKEv2: established, then the first rekey fails */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 2, "aes128-sha1-modp2048", "aes128-sha1");
	predict_one(&m, NULL, &tp);
	assert_int_equal(tp.outcome, IKE_OUT_PHASE2_REKEY);
	assert_string_equal(tp.chosen_phase2, "aes128-sha1");
	devconf_free(&m);
}

/* TunnelOptions matched by outside address; a restricted list is what AWS allows. */
static void test_rules_tunnel_options(void **state)
{
	static const char json[] =
		"{\"VpnConnections\":[{\"VpnConnectionId\":\"vpn-1\","
		"\"Options\":{\"TunnelOptions\":["
		"{\"OutsideIpAddress\":\"192.0.2.1\",\"IkeVersions\":[{\"Value\":\"ikev2\"}],"
		"\"Phase1DHGroupNumbers\":[{\"Value\":20}],\"StartupAction\":\"start\"},"
		"{\"OutsideIpAddress\":\"192.0.2.2\"}]}}]}";
	struct aws_model aws;
	struct devconf_model m = {0};
	struct diag_error err = {0};
	struct ike_tunnel_prediction tp;
	struct devconf_peer *p;

	(void)state;
	aws_model_init(&aws, 0);
	assert_int_equal(aws_load_json(&aws, json, strlen(json), "t.json", &err), 0);
	arena_init(&m.arena, 0);
	m.file = "t";
	p = peer(&m, "192.0.2.1", 3, "aes128-sha256-modp2048", "aes128-sha256-modp2048");
	p->startup = DEVCONF_START_RESPOND;
	predict_one(&m, &aws, &tp);
	assert_true(tp.aws_matched);
	assert_int_equal(tp.tunnel_index, 1);
	assert_int_equal(tp.version, 2);
	/* group 14 is not in this tunnel's list */
	assert_int_equal(tp.outcome, IKE_OUT_PHASE1);
	assert_non_null(strstr(tp.items[IKE_I_PHASE1].aws, "DH group 20"));
	/* AWS initiates (IKEv2, start): a responding device is fine */
	assert_int_equal(tp.items[IKE_I_INITIATION].status, DIAG_PASS);
	devconf_free(&m);

	/* the same device against the other tunnel (defaults, add): nobody initiates */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	p = peer(&m, "192.0.2.2", 3, "aes128-sha256-modp2048", "aes128-sha256-modp2048");
	p->startup = DEVCONF_START_RESPOND;
	predict_one(&m, &aws, &tp);
	assert_int_equal(tp.tunnel_index, 2);
	assert_int_equal(tp.outcome, IKE_OUT_NOT_INITIATED);
	assert_string_equal(tp.chosen_phase1, "aes128-sha256-modp2048");
	devconf_free(&m);

	/* an address AWS does not have: defaults, and the report says so */
	memset(&m, 0, sizeof m);
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.9", 3, "aes128-sha256-modp2048", "aes128-sha256-modp2048");
	predict_one(&m, &aws, &tp);
	assert_false(tp.aws_matched);
	assert_non_null(strstr(tp.aws_side, "no AWS tunnel with outside address 192.0.2.9"));
	assert_int_equal(tp.outcome, IKE_OUT_ESTABLISHED);
	devconf_free(&m);
	aws_model_free(&aws);
}

/* The check itself, as vpn-doctor runs it from the table: needs the configuration only. */
static void test_check_table(void **state)
{
	const struct check *c = check_find("ike.config");
	struct devconf_model m = {0};
	struct check_ctx ctx;
	struct report rep;

	(void)state;
	assert_ptr_equal(c, &check_ike_config);
	assert_int_equal(c->needs, NEED_CONFIG);
	memset(&ctx, 0, sizeof ctx);
	assert_false(check_ready(c, &ctx));
	arena_init(&m.arena, 0);
	m.file = "t";
	peer(&m, "192.0.2.1", 2, "aes128-sha256-modp2048", "aes128-sha256-modp2048");
	ctx.config = &m;
	assert_true(check_ready(c, &ctx));
	report_init(&rep, "vpn-doctor", "test");
	assert_int_equal(c->run(&ctx, &rep), 0);
	assert_int_equal(rep.n, IKE_I_COUNT);
	assert_int_equal(report_verdict(&rep), DIAG_PASS);
	for (size_t i = 0; i < rep.n; i++)
		assert_string_equal(cJSON_GetObjectItem(rep.findings[i].evidence,
							"prediction")->valuestring, "established");
	report_free(&rep);
	devconf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_xml_compatible),
		cmocka_unit_test(test_sample_ios_compatible),
		cmocka_unit_test(test_planted_mistakes),
		cmocka_unit_test(test_rules_ikev2_lowest),
		cmocka_unit_test(test_rules_ikev1_whole),
		cmocka_unit_test(test_rules_tunnel_options),
		cmocka_unit_test(test_check_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
