/* libFuzzer target for the XFRM netlink decoder (vpn-policy --xfrm / --xfrm-file): the input
 * is a dump as the kernel answers XFRM_MSG_GETPOLICY / GETSA with NLM_F_DUMP (the seeds are
 * the lab's recorded dumps, testdata/xfrm/). Every input is scrubbed of keys on a copy,
 * decoded, dumped as text, turned into policy.selectors peers and judged into a report, as
 * vpn-policy does. Promises checked: a failed decode sets an error with a place, counts
 * stay within their caps, a scrubbed copy decodes exactly as the original (scrubbing only
 * touches key bytes), the text dump exists, no peer claims more pairs than it kept. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/policy.h"
#include "libdiag/report.h"
#include "libdiag/xfrm/xfrm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xfrm_dump d, d2;
	struct diag_error err = {0}, err2 = {0};
	struct policy_peers pp = {0};
	struct report rep;
	uint8_t *copy;
	char *text;
	int rc, rc2;

	if (size > (1u << 20))
		return 0;
	xfrm_dump_init(&d);
	rc = xfrm_decode(data, size, &d, &err);
	if (rc < 0)
		check(err.code != 0 && err.where[0] != '\0');
	check(d.messages <= XFRM_MAX_MESSAGES);
	for (size_t i = 0; i < d.npolicies; i++)
		check(d.policies[i].ntmpl <= XFRM_MAX_TEMPLATES &&
		      d.policies[i].ntmpl <= d.policies[i].ntmpl_seen);

	copy = malloc(size ? size : 1);
	check(copy != NULL);
	memcpy(copy, data, size);
	xfrm_scrub_keys(copy, size);
	xfrm_dump_init(&d2);
	rc2 = xfrm_decode(copy, size, &d2, &err2);
	check(rc == rc2 && d.npolicies == d2.npolicies && d.nsas == d2.nsas);
	for (size_t i = 0; i < d.nsas; i++)
		check(d.sas[i].spi == d2.sas[i].spi && strcmp(d.sas[i].enc, d2.sas[i].enc) == 0);
	xfrm_dump_free(&d2);
	free(copy);

	text = xfrm_dump_text(&d);
	check(text != NULL);
	free(text);
	check(policy_from_xfrm(&d, &pp) == 0);
	report_init(&rep, "vpn-policy", "fuzz");
	for (size_t i = 0; i < pp.n; i++) {
		check(pp.v[i].npairs <= pp.v[i].nselectors);
		policy_judge(&pp.v[i], NULL, &rep);
	}
	text = report_render(&rep, REPORT_JSON, 0);
	free(text);
	report_free(&rep);
	policy_peers_free(&pp);
	xfrm_dump_free(&d);
	return 0;
}
