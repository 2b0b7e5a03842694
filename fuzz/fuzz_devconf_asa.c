/* libFuzzer target for devconf_parse with the format fixed to Cisco ASA (detection not
 * involved). The input is handed over in a buffer of exactly its size, so reading past
 * len is an ASan error. Success yields a model whose dump works and whose peers and
 * children hold sane values; failure is DIAG_EXIT_DATAERR (or SOFTWARE for memory) at
 * "file" or "file:line". A pre-shared key (see check_after) never reaches the dump or an
 * error message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/devconf/devconf.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT DEVCONF_CISCO_ASA
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
	for (size_t i = 0; nn && nn <= hn && i <= hn - nn; i++)
		if (memcmp(hay + i, needle, nn) == 0)
			return hay + i;
	return NULL;
}

/* Does the line holding p start (after blanks) with prefix, p right after it? */
static bool line_prefix(const char *in, const char *p, const char *prefix)
{
	const char *b = p;
	size_t pl = strlen(prefix);

	while (b > in && b[-1] != '\n')
		b--;
	while (b < p && (*b == ' ' || *b == '\t'))
		b++;
	return (size_t)(p - b) == pl && memcmp(b, prefix, pl) == 0;
}

/* A key-like word (8-64 bytes with an upper-case letter: nothing the dump makes up has
 * one) that occurs only once in the input, in a statement that sets a key (lead right
 * after one of prefixes at the start of its line), is absent from out. */
static void check_after(const char *in, size_t n, const char *out, const char *lead,
			const char *const *prefixes)
{
	size_t ll = strlen(lead);

	for (const char *p = find(in, n, lead, ll); p;
	     p = find(p + 1, n - (size_t)(p + 1 - in), lead, ll)) {
		const char *k = p + ll;
		size_t kn = 0, left = n - (size_t)(k - in);
		bool upper = false, stmt = false;

		for (size_t i = 0; prefixes[i]; i++)
			stmt |= line_prefix(in, p, prefixes[i]);
		while (kn < left && k[kn] != ' ' && k[kn] != '\t' && k[kn] != '\n' &&
		       k[kn] != '\r' && k[kn] != '\v' && k[kn] != '\f') {
			upper |= k[kn] >= 'A' && k[kn] <= 'Z';
			kn++;
		}
		if (!stmt || kn < 8 || kn > 64 || !upper ||
		    find(in, (size_t)(k - in) + kn - 1, k, kn) || find(k + 1, left - 1, k, kn))
			continue; /* not a key statement, or it occurs elsewhere too */
		check(!find(out, strlen(out), k, kn));
	}
}

static void check_no_keys(const char *in, size_t n, const char *out)
{
	static const char *const psk[] = {"", "ikev1 ", "ikev2 remote-authentication ",
					  "ikev2 local-authentication ", NULL};
	static const char *const isakmp[] = {"crypto ", NULL};

	check_after(in, n, out, "pre-shared-key ", psk);
	check_after(in, n, out, "isakmp key ", isakmp);
}

static void check_model(const struct devconf_model *m, const char *in, size_t n)
{
	char *dump = devconf_dump(m);

	check(dump != NULL);
	check_no_keys(in, n, dump);
	free(dump);
	check(m->format == FUZZ_FORMAT);
	for (size_t i = 0; i < m->npeers; i++) {
		const struct devconf_peer *p = &m->peers[i];

		check(p->nike <= DEVCONF_PROPOSALS_MAX && p->ike_versions <= 3);
		for (size_t k = 0; k < p->nike; k++)
			check(p->ike[k].n <= IKE_PROP_MAX);
		check(p->dpd_delay_s == DEVCONF_UNSET || p->dpd_delay_s > 0);
		check(!p->psk_weak || p->psk_set);
		for (size_t c = 0; c < p->nchildren; c++) {
			const struct devconf_child *ch = &p->children[c];

			check(ch->nesp <= DEVCONF_PROPOSALS_MAX);
			check(ch->nlocal_ts <= DEVCONF_TS_MAX && ch->nremote_ts <= DEVCONF_TS_MAX);
			check(ch->lifetime_s == DEVCONF_UNSET || ch->lifetime_s > 0);
			check(ch->lifetime_kb == DEVCONF_UNSET || ch->lifetime_kb >= 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devconf_model m;
	struct diag_error err = {0};
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (devconf_parse(buf, size, FUZZ_FORMAT, "f.cfg", &m, &err) == 0) {
		check(err.code == 0);
		check_model(&m, buf, size);
	} else {
		check(err.code == DIAG_EXIT_DATAERR || err.code == DIAG_EXIT_SOFTWARE);
		check(strncmp(err.where, "f.cfg", 5) == 0);
		check(err.what[0] != '\0');
		if (!memchr(buf, '\0', size)) {
			check_no_keys(buf, size, err.what);
			check_no_keys(buf, size, err.where);
		}
	}
	devconf_free(&m);
	free(buf);
	return 0;
}
