#include "libdiag/targets.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

void target_iter_init(struct target_iter *it, const struct target_opts *opts,
		      const struct port_list *ports, char *const *argv, int argc, FILE *fp,
		      const char *fp_name)
{
	memset(it, 0, sizeof *it);
	it->opts = *opts;
	if (!it->opts.max_targets)
		it->opts.max_targets = TARGETS_DEFAULT_MAX;
	it->ports = ports;
	it->argv = argv;
	it->argc = argc;
	it->fp = fp;
	it->fp_name = fp_name && strcmp(fp_name, "-") ? fp_name : "stdin";
	it->lp = "";
}

/* argi reaches argc as soon as the last argument is loaded, while its words are still
 * being read; file lines are read only after every argument, so the line count is what
 * says where the current word came from. */
static bool from_file(const struct target_iter *it)
{
	return it->line > 0;
}

/* Reads one line into linebuf. A NUL byte, an over-long line and a read error are each
 * an error naming file:line, never a silent end of the targets. Returns 1 with a line,
 * 0 at the end of the file, -1 on error. */
static int read_line(struct target_iter *it, struct diag_error *err)
{
	size_t n = 0;
	int c;

	while ((c = getc(it->fp)) != EOF && c != '\n') {
		if (n + 1 >= sizeof it->linebuf || c == '\0') {
			snprintf(it->where, sizeof it->where, "%s:%u", it->fp_name, it->line + 1);
			if (c == '\0')
				return diag_fail(err, DIAG_EXIT_DATAERR, it->where,
						 "NUL byte at column %zu", n + 1);
			return diag_fail(err, DIAG_EXIT_DATAERR, it->where,
					 "line longer than %zu bytes", sizeof it->linebuf - 2);
		}
		it->linebuf[n++] = (char)c;
	}
	if (ferror(it->fp)) {
		snprintf(it->where, sizeof it->where, "%s:%u", it->fp_name, it->line + 1);
		return diag_fail(err, DIAG_EXIT_NOINPUT, it->where, "read error");
	}
	if (c == EOF && n == 0)
		return 0;
	it->linebuf[n] = '\0';
	it->line++;
	snprintf(it->where, sizeof it->where, "%s:%u", it->fp_name, it->line);
	return 1;
}

/* Next whitespace- or comma-separated word, loading arguments and then file lines as
 * needed. Returns NULL at the end of all sources. */
static char *next_word(struct target_iter *it, struct diag_error *err)
{
	for (;;) {
		it->lp += strspn(it->lp, " \t\r\n,");
		if (*it->lp) {
			char *w = it->lp;
			size_t n = strcspn(w, " \t\r\n,");

			it->lp = w + n + (w[n] != '\0');
			w[n] = '\0';
			if (!from_file(it))
				snprintf(it->where, sizeof it->where, "%s", w);
			return w;
		}
		if (it->argi < it->argc) {
			const char *a = it->argv[it->argi++];

			if (strlen(a) >= sizeof it->argbuf) {
				diag_fail(err, DIAG_EXIT_USAGE, "target", "argument too long");
				return NULL;
			}
			strcpy(it->argbuf, a);
			it->lp = it->argbuf;
			continue;
		}
		if (!it->fp)
			return NULL;
		if (read_line(it, err) <= 0)
			return NULL; /* the end, or an error naming file:line */
		it->linebuf[strcspn(it->linebuf, "#")] = '\0';
		it->lp = it->linebuf;
	}
}

static bool valid_hostname(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 254 && s[0] != '-' && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") == n;
}

static bool ranges_overlap(const struct diag_range *r, const char *first, const char *last)
{
	struct diag_range m;

	if (!addr_parse(first, &m.first) || !addr_parse(last, &m.last) ||
	    m.first.family != r->first.family)
		return false;
	return addr_cmp(&r->first, &m.last) <= 0 && addr_cmp(&r->last, &m.first) >= 0;
}

/* Broadcast and multicast destinations make no sense for a connect() prober and can upset
 * a network, so they are refused outright rather than skipped quietly. */
static int check_family_and_scope(struct target_iter *it, const struct diag_range *r,
				  enum diag_exit code, struct diag_error *err)
{
	if (it->opts.family && it->opts.family != r->first.family)
		return diag_fail(err, code, it->where, "%s address with -%c",
				 r->first.family == AF_INET ? "IPv4" : "IPv6",
				 it->opts.family == AF_INET ? '4' : '6');
	if (ranges_overlap(r, "224.0.0.0", "239.255.255.255") ||
	    ranges_overlap(r, "::ffff:224.0.0.0", "::ffff:239.255.255.255") ||
	    ranges_overlap(r, "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
		return diag_fail(err, code, it->where, "multicast targets are refused");
	if (ranges_overlap(r, "255.255.255.255", "255.255.255.255") ||
	    ranges_overlap(r, "::ffff:255.255.255.255", "::ffff:255.255.255.255"))
		return diag_fail(err, code, it->where, "broadcast targets are refused");
	return 0;
}

/* Resolves a name to its first address of the wanted family; failure is not fatal to a
 * sweep, it becomes that target's result. */
static void resolve(struct target_iter *it, const char *name)
{
	struct addrinfo hints = {.ai_family = it->opts.family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(name, NULL, &hints, &res);

	it->resolve_error = NULL;
	if (rc != 0 || !res || !addr_from_sockaddr(res->ai_addr, &it->cur, NULL))
		it->resolve_error = rc ? gai_strerror(rc) : "no address";
	if (res)
		freeaddrinfo(res);
	it->last = it->cur;
}

enum spec_kind { SPEC_PREFIX, SPEC_RANGE, SPEC_ADDR, SPEC_NAME, SPEC_BAD_ADDR, SPEC_BAD };

static enum spec_kind spec_kind(const char *w)
{
	const char *dash = strchr(w, '-');
	struct diag_addr a;
	char left[64];

	if (strchr(w, '/'))
		return SPEC_PREFIX;
	if (dash && (size_t)(dash - w) < sizeof left) {
		memcpy(left, w, (size_t)(dash - w));
		left[dash - w] = '\0';
		if (addr_parse(left, &a))
			return SPEC_RANGE;
	}
	if (addr_parse(w, &a))
		return SPEC_ADDR;
	/* All digits and dots, or any colon, was meant as an address: no top-level domain is
	 * numeric (RFC 3696 2), so "10.0.0.300" is a typo, not a name to look up. */
	if (strspn(w, "0123456789.") == strlen(w) || strchr(w, ':'))
		return SPEC_BAD_ADDR;
	return valid_hostname(w) ? SPEC_NAME : SPEC_BAD;
}

/* Parses one spec into the current address range (names are resolved here). */
static int load_spec(struct target_iter *it, char *w, struct diag_error *err)
{
	enum diag_exit code = from_file(it) ? DIAG_EXIT_DATAERR : DIAG_EXIT_USAGE;
	struct diag_error sub = {0};
	struct diag_range r;
	struct diag_prefix p;

	it->named = false;
	it->skip_net_bcast = false;
	it->resolve_error = NULL;
	switch (spec_kind(w)) {
	case SPEC_PREFIX:
		if (prefix_parse(w, true, &p, &sub) < 0)
			return diag_fail(err, code, it->where, "%s", sub.what);
		prefix_range(&p, &r);
		/* fping -g and AWS alike never use a subnet's network and broadcast addresses. */
		it->skip_net_bcast = p.addr.family == AF_INET && p.len <= 30;
		it->net = r.first;
		it->bcast = r.last;
		break;
	case SPEC_RANGE:
		if (range_parse(w, &r, &sub) < 0)
			return diag_fail(err, code, it->where, "%s", sub.what);
		break;
	case SPEC_ADDR:
		addr_parse(w, &r.first);
		r.last = r.first;
		break;
	case SPEC_NAME:
		if (it->opts.numeric)
			return diag_fail(err, code, it->where, "a name with -n (numeric only)");
		snprintf(it->name, sizeof it->name, "%s", w);
		it->named = true;
		resolve(it, w);
		if (it->resolve_error)
			return 0;
		r.first = r.last = it->cur;
		break;
	case SPEC_BAD_ADDR:
		return diag_fail(err, code, it->where, "invalid address");
	default:
		return diag_fail(err, code, it->where,
				 "invalid target (want a name, address, CIDR or range)");
	}
	if (check_family_and_scope(it, &r, code, err) < 0)
		return -1;
	it->cur = r.first;
	it->last = r.last;
	return 0;
}

/* Moves to the next address of the current spec, skipping network and broadcast
 * addresses of swept IPv4 subnets. Returns false when the spec is exhausted. */
static bool next_addr(struct target_iter *it, bool first)
{
	for (;;) {
		if (!first) {
			if (it->named || addr_eq(&it->cur, &it->last) || !addr_next(&it->cur))
				return false;
		}
		first = false;
		if (it->skip_net_bcast &&
		    (addr_eq(&it->cur, &it->net) || addr_eq(&it->cur, &it->bcast)))
			continue;
		return true;
	}
}

int target_iter_next(struct target_iter *it, struct target *out, struct diag_error *err)
{
	for (;;) {
		if (it->have_addr && it->port_range < it->ports->n) {
			uint32_t port = it->port_next;

			if (port == it->ports->r[it->port_range].hi) {
				it->port_range++;
				if (it->port_range < it->ports->n)
					it->port_next = it->ports->r[it->port_range].lo;
			} else {
				it->port_next++;
			}
			if (it->emitted >= it->opts.max_targets)
				return diag_fail(err, DIAG_EXIT_USAGE, it->where,
						 "more than %llu targets; raise the limit with "
						 "--max-targets",
						 (unsigned long long)it->opts.max_targets);
			it->emitted++;
			out->addr = it->cur;
			out->port = (uint16_t)port;
			out->name = it->named ? it->name : NULL;
			out->resolve_error = it->resolve_error;
			return 1;
		}
		if (it->have_spec && next_addr(it, !it->have_addr)) {
			it->have_addr = true;
			it->port_range = 0;
			it->port_next = it->ports->n ? it->ports->r[0].lo : 0;
			if (!it->ports->n)
				return diag_fail(err, DIAG_EXIT_USAGE, "port", "no ports given");
			continue;
		}
		/* A local error tells the end of the input from a failure even when the
		 * caller passed no err, or one that already holds an earlier error. */
		struct diag_error e = {0};
		char *w = next_word(it, &e);

		if (!w)
			return e.code ? diag_fail(err, e.code, e.where, "%s", e.what) : 0;
		if (load_spec(it, w, err) < 0)
			return -1;
		it->have_spec = true;
		it->have_addr = false;
	}
}

int targets_count(char *const *argv, int argc, FILE *fp, const char *fp_name,
		  const struct target_opts *opts, const struct port_list *ports,
		  uint64_t *count, struct diag_error *err)
{
	struct target_opts o = *opts;
	struct target_iter *it = calloc(1, sizeof *it);
	struct diag_error e = {0}; /* as in target_iter_next: err may be NULL */
	char *w;

	if (!it)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "targets", "out of memory");
	target_iter_init(it, &o, ports, argv, argc, fp, fp_name);
	*count = 0;
	while ((w = next_word(it, &e)) != NULL) {
		uint64_t n = 1;
		enum spec_kind kind = spec_kind(w);

		if (kind == SPEC_NAME && o.numeric) {
			load_spec(it, w, &e);
			break;
		}
		if (kind != SPEC_NAME) {
			if (load_spec(it, w, &e) < 0)
				break;
			struct diag_range r = {.first = it->cur, .last = it->last};

			n = range_size(&r);
			if (it->skip_net_bcast)
				n -= n >= 2 ? 2 : n;
		}
		n = ports->count && n > UINT64_MAX / ports->count ? UINT64_MAX : n * ports->count;
		*count = n > UINT64_MAX - *count ? UINT64_MAX : *count + n;
		if (*count > it->opts.max_targets) {
			diag_fail(&e, from_file(it) ? DIAG_EXIT_DATAERR : DIAG_EXIT_USAGE, it->where,
				  "%llu targets (addresses x ports) exceed the limit of %llu; raise "
				  "it with --max-targets",
				  (unsigned long long)*count,
				  (unsigned long long)it->opts.max_targets);
			break;
		}
	}
	free(it);
	return e.code ? diag_fail(err, e.code, e.where, "%s", e.what) : 0;
}
