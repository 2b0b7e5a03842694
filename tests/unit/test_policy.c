/* policy.selectors: the supernet of the fix, the SA-pair count per dialect, the verdicts
 * (route-based, one pair, several pairs, several selectors in one SA, AWS's CIDRs), the
 * XFRM and capture sources on the lab's recordings, TS_UNACCEPTABLE in tunnel logs, and
 * the vendor files under ../shared/samples/batfish/grammar (skipped with a message when
 * absent), whose reports are pinned by goldens in testdata/golden/policy/samples/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/policy.h"
#include "libdiag/aws/model.h"
#include "libdiag/devconf/devconf.h"
#include "libdiag/report.h"
#include "libdiag/xfrm/xfrm.h"
#include "tests/unit/testutil.h"

#define SAMPLES "../shared/samples/batfish/grammar/"

static void supernet(const char *const *v, size_t n, const char *want)
{
	char out[64];

	policy_supernet(v, n, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_supernet(void **state)
{
	const char *a[] = {"10.99.0.0/25", "10.99.0.128/25"};
	const char *b[] = {"10.1.0.0/16", "10.2.0.0/16"};
	const char *c[] = {"10.10.0.0/16", "192.168.50.0/24"};
	const char *d[] = {"10.0.0.5", "10.0.0.6"};
	const char *e[] = {"10.0.0.0/8", "2001:db8::/32"};
	const char *f[] = {"10.0.0.0/8", "not-a-cidr"};
	const char *g[] = {"2001:db8:1::/48", "2001:db8:2::/48"};
	const char *h[] = {"172.16.5.10/32"};

	(void)state;
	supernet(a, 2, "10.99.0.0/24");
	supernet(b, 2, "10.0.0.0/14");
	supernet(c, 2, "0.0.0.0/0");
	supernet(d, 2, "10.0.0.4/30");
	supernet(e, 2, "");
	supernet(f, 2, "");
	supernet(g, 2, "2001:db8::/46");
	supernet(h, 1, "172.16.5.10/32");
	supernet(h, 0, "");
}

/* The peers of a configuration text. */
static void peers_of(const char *text, enum devconf_format fmt, struct devconf_model *m,
		     struct policy_peers *pp)
{
	struct diag_error err = {0};

	assert_int_equal(devconf_parse(text, strlen(text), fmt, "t.conf", m, &err), 0);
	assert_int_equal(policy_from_config(m, pp), 0);
}

static const char SWANCTL_TWO[] =
	"connections {\n"
	" a {\n"
	"  remote_addrs = 203.0.113.1\n"
	"  version = 2\n"
	"  children {\n"
	"   one { local_ts = 10.1.0.0/16\n remote_ts = 10.0.0.0/16 }\n"
	"   two { local_ts = 10.2.0.0/16, 10.3.0.0/16\n remote_ts = 10.0.0.0/16 }\n"
	"  }\n"
	" }\n"
	"}\n";

static void test_count_swanctl(void **state)
{
	struct devconf_model m;
	struct policy_peers pp = {0};

	(void)state;
	peers_of(SWANCTL_TWO, DEVCONF_SWANCTL, &m, &pp);
	assert_int_equal(pp.n, 1);
	/* two children: two SA pairs, three selector pairs (the second child carries two) */
	assert_int_equal(pp.v[0].sa_pairs, 2);
	assert_int_equal(pp.v[0].nselectors, 3);
	assert_string_equal(pp.v[0].remote_addr, "203.0.113.1");
	assert_string_equal(pp.v[0].pairs[2].local, "10.3.0.0/16");
	policy_peers_free(&pp);
	devconf_free(&m);
}

/* Report of one peer as text, for assertions. */
static char *judge_text(const struct policy_peer *p, const struct aws_vpn_connection *conn)
{
	struct report rep;
	char *t;

	report_init(&rep, "vpn-policy", "test");
	policy_judge(p, conn, &rep);
	t = report_render(&rep, REPORT_TEXT, 0);
	assert_non_null(t);
	report_free(&rep);
	return t;
}

static struct policy_peer *peer(struct policy_peers *pp, const char *const *l,
				const char *const *r, size_t n, size_t sa_pairs)
{
	struct policy_peer *p = policy_peers_add(pp, POLICY_SRC_CONFIG);

	assert_non_null(p);
	snprintf(p->subject, sizeof p->subject, "config peer t (line 1)");
	snprintf(p->remote_addr, sizeof p->remote_addr, "203.0.113.1");
	for (size_t i = 0; i < n; i++) {
		snprintf(p->pairs[i].local, sizeof p->pairs[i].local, "%s", l[i]);
		snprintf(p->pairs[i].remote, sizeof p->pairs[i].remote, "%s", r[i]);
	}
	p->npairs = p->nselectors = n;
	p->sa_pairs = sa_pairs;
	return p;
}

static void test_verdicts(void **state)
{
	struct policy_peers pp = {0};
	const char *any[] = {"0.0.0.0/0"}, *l2[] = {"10.1.0.0/16", "10.2.0.0/16"};
	const char *r2[] = {"10.0.0.0/16", "10.0.0.0/16"}, *l1[] = {"10.1.0.0/16"};
	struct aws_vpn_connection conn;
	char *t;

	(void)state;
	t = judge_text(peer(&pp, any, any, 1, 1), NULL);
	assert_non_null(strstr(t, "[PASS] policy.selectors  config peer t (line 1): route-based "
				  "(0.0.0.0/0 selectors)"));
	free(t);
	t = judge_text(peer(&pp, l2, r2, 2, 2), NULL);
	assert_non_null(strstr(t, "[FAIL]"));
	assert_non_null(strstr(t, "policy-based with 2 SA pairs"));
	assert_non_null(strstr(t, "consolidate into one pair: 10.0.0.0/14 <-> 10.0.0.0/16"));
	free(t);
	t = judge_text(peer(&pp, l2, r2, 2, 1), NULL);
	assert_non_null(strstr(t, "[WARN]"));
	assert_non_null(strstr(t, "one SA pair carrying 2 selector pairs"));
	free(t);
	t = judge_text(peer(&pp, l1, r2, 1, 1), NULL);
	assert_non_null(strstr(t, "[PASS]"));
	assert_non_null(strstr(t, "policy-based with one SA pair (10.1.0.0/16 <-> 10.0.0.0/16): "
				  "works; caveat"));
	free(t);
	t = judge_text(peer(&pp, l1, r2, 0, 0), NULL);
	assert_non_null(strstr(t, "[WARN]"));
	assert_non_null(strstr(t, "no phase 2 selectors"));
	free(t);
	/* AWS's CIDRs: inside passes, outside fails, wider warns; the fix takes them */
	memset(&conn, 0, sizeof conn);
	conn.id = "vpn-1";
	conn.local_ipv4_cidr = "10.0.0.0/12";
	conn.remote_ipv4_cidr = "10.0.0.0/16";
	t = judge_text(peer(&pp, l2, r2, 2, 2), &conn);
	assert_non_null(strstr(t, "consolidate into one pair: 10.0.0.0/12 <-> 10.0.0.0/16"));
	assert_non_null(strstr(t, "[PASS] policy.selectors  config peer t (line 1) vs vpn-1: "
				  "selectors within"));
	free(t);
	conn.local_ipv4_cidr = "192.168.0.0/16";
	t = judge_text(peer(&pp, l1, r2, 1, 1), &conn);
	assert_non_null(strstr(t, "[FAIL] policy.selectors  config peer t (line 1) vs vpn-1: "
				  "selectors outside AWS's LocalIpv4NetworkCidr 192.168.0.0/16"));
	free(t);
	t = judge_text(peer(&pp, any, any, 1, 1), &conn);
	assert_non_null(strstr(t, "[WARN] policy.selectors  config peer t (line 1) vs vpn-1: "
				  "selectors wider"));
	free(t);
	policy_peers_free(&pp);
}

static void test_match_aws(void **state)
{
	struct aws_model m;
	struct aws_vpn_connection c[2];
	struct aws_tunnel_options t[2];
	struct policy_peer p;

	(void)state;
	memset(&m, 0, sizeof m);
	memset(c, 0, sizeof c);
	memset(t, 0, sizeof t);
	memset(&p, 0, sizeof p);
	t[0].outside_ip = "203.0.113.1";
	t[1].outside_ip = "203.0.113.2";
	c[0].id = "vpn-a";
	c[0].tunnels = &t[0];
	c[0].n_tunnels = 1;
	c[1].id = "vpn-b";
	c[1].tunnels = &t[1];
	c[1].n_tunnels = 1;
	m.vpn_connections = c;
	m.n_vpn_connections = 2;
	snprintf(p.remote_addr, sizeof p.remote_addr, "203.0.113.2");
	assert_ptr_equal(policy_match_aws(&m, NULL, &p), &c[1]);
	assert_ptr_equal(policy_match_aws(&m, "vpn-a", &p), &c[0]);
	snprintf(p.remote_addr, sizeof p.remote_addr, "192.0.2.1");
	assert_null(policy_match_aws(&m, NULL, &p));
	m.n_vpn_connections = 1;
	assert_ptr_equal(policy_match_aws(&m, NULL, &p), &c[0]);
	assert_null(policy_match_aws(NULL, NULL, &p));
}

static void test_xfrm_peers(void **state)
{
	struct xfrm_dump d;
	struct diag_error err = {0};
	struct policy_peers pp = {0};
	size_t len;
	char *buf = must_read_file("testdata/xfrm/lab-two-pairs.xfrm", &len);

	(void)state;
	xfrm_dump_init(&d);
	assert_int_equal(xfrm_decode((const uint8_t *)buf, len, &d, &err), 0);
	assert_int_equal(policy_from_xfrm(&d, &pp), 0);
	assert_int_equal(pp.n, 1); /* the socket bypass policies are no peer */
	assert_string_equal(pp.v[0].local_addr, "198.51.100.10");
	assert_string_equal(pp.v[0].remote_addr, "203.0.113.1");
	assert_int_equal(pp.v[0].sa_pairs, 2);
	assert_int_equal(pp.v[0].pairs[0].dirs, 7u);
	assert_int_equal(pp.v[0].pairs[1].dirs, 7u);
	assert_int_equal(pp.v[0].pairs[0].reqid, 2);
	policy_peers_free(&pp);
	xfrm_dump_free(&d);
	free(buf);
}

static void test_wire_lab(void **state)
{
	struct policy_wire *w = policy_wire_new();
	struct diag_error err = {0};
	struct policy_peers pp = {0};
	unsigned long frames, ike, esp, bad;

	(void)state;
	assert_non_null(w);
	assert_int_equal(policy_wire_read_file(w, "testdata/policy/lab-two-pairs.pcap", &err), 0);
	policy_wire_counts(w, &frames, &ike, &esp, &bad);
	assert_int_equal(frames, 22);
	assert_int_equal(ike, 6);
	assert_int_equal(esp, 16);
	assert_int_equal(bad, 0);
	assert_int_equal(policy_from_wire(w, NULL, &pp), 0);
	assert_int_equal(pp.n, 1);
	/* the IKE initiator is the customer gateway */
	assert_string_equal(pp.v[0].local_addr, "198.51.100.10");
	assert_int_equal(pp.v[0].spis_out, 2);
	assert_int_equal(pp.v[0].spis_in, 2);
	assert_int_equal(pp.v[0].concurrent, 2);
	assert_int_equal(pp.v[0].ike_sas, 1);
	assert_int_equal(pp.v[0].create_child, 1);
	assert_int_equal(pp.v[0].quick_mode, 0);
	policy_peers_free(&pp);
	assert_int_equal(policy_wire_read_file(w, "testdata/policy/no-such.pcap", &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	policy_wire_free(w);
}

/* IKEv1 Quick Mode (a retransmit counted once), SPIs used one after another, IPv6 with
 * the IKEv2 initiator as the customer's end (testdata/policy/synthetic-v1-v6.pcap). */
static void test_wire_synthetic(void **state)
{
	struct policy_wire *w = policy_wire_new();
	struct diag_error err = {0};
	struct policy_peers pp = {0};
	char *t;

	(void)state;
	assert_int_equal(policy_wire_read_file(w, "testdata/policy/synthetic-v1-v6.pcap", &err), 0);
	assert_int_equal(policy_from_wire(w, NULL, &pp), 0);
	assert_int_equal(pp.n, 2);
	assert_string_equal(pp.v[0].local_addr, "192.0.2.1");
	assert_int_equal(pp.v[0].quick_mode, 2);
	assert_int_equal(pp.v[0].create_child, 0);
	assert_int_equal(pp.v[0].spis_out, 2);
	assert_int_equal(pp.v[0].concurrent, 1);
	assert_string_equal(pp.v[1].local_addr, "2001:db8::2");
	assert_string_equal(pp.v[1].remote_addr, "2001:db8::1");
	assert_int_equal(pp.v[1].spi_out[0], 0xc0000001);
	t = judge_text(&pp.v[0], NULL);
	assert_non_null(strstr(t, "[WARN]"));
	assert_non_null(strstr(t, "one at a time"));
	free(t);
	policy_peers_free(&pp);
	policy_wire_free(w);
}

static void test_logs(void **state)
{
	struct report rep;
	struct diag_error err = {0};
	FILE *fp = fopen("testdata/policy/ts-unacceptable.log", "r");
	char *t;

	(void)state;
	assert_non_null(fp);
	report_init(&rep, "vpn-policy", "test");
	assert_int_equal(policy_logs(fp, "ts-unacceptable.log", &rep, &err), 0);
	fclose(fp);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.findings[0].status, DIAG_FAIL);
	t = report_render(&rep, REPORT_TEXT, 0);
	assert_non_null(strstr(t, "AWS tunnel vpn-0policy000000001 203.0.113.1 (logs): AWS "
				  "logged TS_UNACCEPTABLE 2 times"));
	free(t);
	report_free(&rep);
	/* a file that is no tunnel log */
	fp = fopen("testdata/policy/lab-two-pairs.conf", "r");
	assert_non_null(fp);
	report_init(&rep, "vpn-policy", "test");
	assert_int_equal(policy_logs(fp, "x", &rep, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	fclose(fp);
	report_free(&rep);
}

/* The check as vpn-doctor runs it: configuration and capture through check_ctx. */
static void test_check_run(void **state)
{
	struct devconf_model m;
	struct policy_peers pp = {0};
	struct check_ctx ctx;
	struct report rep;

	(void)state;
	peers_of(SWANCTL_TWO, DEVCONF_SWANCTL, &m, &pp);
	policy_peers_free(&pp);
	memset(&ctx, 0, sizeof ctx);
	ctx.config = &m;
	ctx.srcip.pcap_file = "testdata/policy/lab-two-pairs.pcap";
	assert_true(check_ready(&check_policy_selectors, &ctx));
	report_init(&rep, "vpn-doctor", "test");
	assert_int_equal(check_policy_selectors.run(&ctx, &rep), 0);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.findings[0].status, DIAG_FAIL);
	assert_string_equal(rep.findings[1].subject, "capture 198.51.100.10 <-> 203.0.113.1");
	assert_int_equal(rep.findings[1].status, DIAG_FAIL);
	report_free(&rep);
	/* a capture that cannot be read is an error finding, the rest still runs */
	ctx.srcip.pcap_file = "testdata/policy/lab-two-pairs.conf";
	report_init(&rep, "vpn-doctor", "test");
	assert_int_equal(check_policy_selectors.run(&ctx, &rep), 0);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.findings[0].status, DIAG_ERROR);
	report_free(&rep);
	devconf_free(&m);
}

/* The batfish grammar test configurations: the report for each, pinned. */
static void sample(const char *rel, const char *golden)
{
	char path[512], *text, *out;
	struct devconf_model m;
	struct policy_peers pp = {0};
	struct diag_error err = {0};
	struct report rep;
	size_t len;

	snprintf(path, sizeof path, SAMPLES "%s", rel);
	if (!(text = read_file(path, &len))) {
		print_message("skip: %s absent (../shared/samples is not next to the project)\n",
			      path);
		skip();
	}
	assert_int_equal(devconf_parse(text, len, DEVCONF_UNKNOWN, rel, &m, &err), 0);
	free(text);
	assert_int_equal(policy_from_config(&m, &pp), 0);
	report_init(&rep, "vpn-policy", "test");
	for (size_t i = 0; i < pp.n; i++)
		policy_judge(&pp.v[i], NULL, &rep);
	out = report_render(&rep, REPORT_TEXT, 0);
	assert_non_null(out);
	check_golden("testdata/golden/policy/samples/", golden, out);
	free(out);
	report_free(&rep);
	policy_peers_free(&pp);
	devconf_free(&m);
}

static void test_sample_ios_profile(void **state)
{
	(void)state;
	sample("cisco/testconfigs/ios-crypto-ipsec-profile", "ios-crypto-ipsec-profile.out");
}

static void test_sample_junos_vpn(void **state)
{
	(void)state;
	sample("juniper/testconfigs/ipsec-vpn", "junos-ipsec-vpn.out");
}

static void test_sample_junos_proposal(void **state)
{
	(void)state;
	sample("juniper/testconfigs/ipsec-proposal", "junos-ipsec-proposal.out");
}

static void test_sample_panos_profiles(void **state)
{
	(void)state;
	sample("palo_alto/testconfigs/ipsec-crypto-profiles", "panos-ipsec-crypto-profiles.out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supernet),
		cmocka_unit_test(test_count_swanctl),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_match_aws),
		cmocka_unit_test(test_xfrm_peers),
		cmocka_unit_test(test_wire_lab),
		cmocka_unit_test(test_wire_synthetic),
		cmocka_unit_test(test_logs),
		cmocka_unit_test(test_check_run),
		cmocka_unit_test(test_sample_ios_profile),
		cmocka_unit_test(test_sample_junos_vpn),
		cmocka_unit_test(test_sample_junos_proposal),
		cmocka_unit_test(test_sample_panos_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
