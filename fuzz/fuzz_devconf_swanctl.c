/* libFuzzer target for devconf_parse with the format fixed to swanctl.conf (detection not
 * involved; fuzz_devconf_ipsec_conf.c reuses it for strongSwan's and libreswan's
 * ipsec.conf). The input is handed over in a buffer of exactly its size, so reading past
 * len is an ASan error. Success yields a model whose dump works and whose peers and
 * children hold sane values; failure is DIAG_EXIT_DATAERR (or SOFTWARE for memory) at
 * "file" or "file:line". A pre-shared key written after "secret =" never reaches the dump
 * or an error message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/devconf/devconf.h"

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

/* The value of each secret statement (the word "secret" at the start of a line or after
 * '{', then '=' and an optional '"'), when it is key-like (8-64 letters, digits, '.', '_'
 * with an upper-case letter: nothing the dump makes up has one) and occurs only once in
 * the input, is absent from out. Inputs with a backslash are left out: escapes can build
 * the same word from other text. */
static void check_no_keys(const char *in, size_t n, const char *out)
{
	if (memchr(in, '\\', n))
		return;
	for (const char *p = find(in, n, "secret", 6); p;
	     p = find(p + 1, n - (size_t)(p + 1 - in), "secret", 6)) {
		const char *k = p + 6, *b = p;
		size_t kn = 0, left;
		bool upper = false;

		while (b > in && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > in && b[-1] != '\n' && b[-1] != '{')
			continue;
		while (k < in + n && (*k == ' ' || *k == '\t'))
			k++;
		if (k == in + n || *k++ != '=')
			continue;
		while (k < in + n && (*k == ' ' || *k == '\t'))
			k++;
		if (k < in + n && *k == '"')
			k++;
		left = n - (size_t)(k - in);
		while (kn < left && (strchr("._", k[kn]) || (k[kn] >= '0' && k[kn] <= '9') ||
				     (k[kn] >= 'a' && k[kn] <= 'z') ||
				     (k[kn] >= 'A' && k[kn] <= 'Z'))) {
			upper |= k[kn] >= 'A' && k[kn] <= 'Z';
			kn++;
		}
		if (kn < 8 || kn > 64 || !upper || find(in, (size_t)(k - in) + kn - 1, k, kn) ||
		    find(k + 1, left - 1, k, kn))
			continue; /* it occurs elsewhere too */
		check(!find(out, strlen(out), k, kn));
	}
}

static void check_model(const struct devconf_model *m, enum devconf_format f, const char *in,
			size_t n)
{
	char *dump = devconf_dump(m);

	check(dump != NULL);
	check_no_keys(in, n, dump);
	free(dump);
	check(m->format == f);
	for (size_t i = 0; i < m->npeers; i++) {
		const struct devconf_peer *p = &m->peers[i];

		check(p->name && p->line > 0);
		check(p->nike <= DEVCONF_PROPOSALS_MAX && p->ike_versions <= 3);
		for (size_t k = 0; k < p->nike; k++)
			check(p->ike[k].n > 0 && p->ike[k].n <= IKE_PROP_MAX);
		check(p->ike_lifetime_s == DEVCONF_UNSET || p->ike_lifetime_s >= 0);
		check(p->dpd_delay_s == DEVCONF_UNSET || p->dpd_delay_s >= 0);
		check(p->dpd_timeout_s == DEVCONF_UNSET || p->dpd_timeout_s >= 0);
		check(!p->psk_weak || p->psk_set);
		check(!p->tunnel_if || p->route_based);
		check(f != DEVCONF_SWANCTL || p->startup != DEVCONF_START_UNKNOWN);
		for (size_t c = 0; c < p->nchildren; c++) {
			const struct devconf_child *ch = &p->children[c];

			check(ch->nesp <= DEVCONF_PROPOSALS_MAX);
			for (size_t k = 0; k < ch->nesp; k++)
				check(ch->esp[k].n > 0 && ch->esp[k].n <= IKE_PROP_MAX);
			check(ch->nlocal_ts <= DEVCONF_TS_MAX && ch->nremote_ts <= DEVCONF_TS_MAX);
			check(ch->lifetime_s == DEVCONF_UNSET || ch->lifetime_s >= 0);
			check(ch->lifetime_kb == DEVCONF_UNSET || ch->lifetime_kb >= 0);
		}
	}
}

#ifndef FUZZ_PICK_FORMAT
#define FUZZ_PICK_FORMAT(data, size) DEVCONF_SWANCTL
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devconf_model m;
	struct diag_error err = {0};
	enum devconf_format f = FUZZ_PICK_FORMAT(data, size);
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (devconf_parse(buf, size, f, "f.cfg", &m, &err) == 0) {
		check(err.code == 0);
		check_model(&m, f, buf, size);
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
