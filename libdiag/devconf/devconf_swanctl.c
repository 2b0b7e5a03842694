/* strongSwan swanctl.conf (the settings syntax of strongswan.conf(5)): read into a tree of
 * sections and key/value pairs first, then walked into the model.
 *
 * The tree follows strongSwan's settings lexer: `name { ... }` sections (a section
 * defined twice is merged), `name : ref[, ref] { ... }` sections that inherit from other
 * sections named by their dotted path (resolved when walking, MAX_INHERIT deep, cycles
 * not followed), `key = value` pairs (the last one wins; a value is runs of text and
 * "quoted" strings up to a newline, '#' or '}', joined by single blanks; a string over
 * several lines is cut at its first newline, see read_value), `#` comments
 * and `include` lines (skipped and counted: the files they name are not read). Nesting
 * deeper than MAX_DEPTH is an error, and so is a file whose inheritance makes the walk
 * look at more than MAX_WORK pairs (no real file comes near).
 *
 * What enters the model:
 *   connections.<conn>: version (0 or absent: both, strongSwan's "any"), local_addrs,
 *     remote_addrs, proposals (absent: nike 0, and strongSwan then offers its default
 *     list; the keyword "default" in a list is skipped and counted), rekey_time ->
 *     ike_lifetime_s (reauth_time when rekey_time is absent or 0; over_time is the
 *     margin after it, read but not the lifetime), dpd_delay, dpd_timeout, aggressive,
 *     encap (yes: forced, no: on, i.e. automatic; absent: unset), if_id_in / if_id_out
 *     (route-based, tunnel_if "if_id=N"), the local* / remote* sections: the first id,
 *     and whether any round uses auth = psk.
 *   children.<child>: esp_proposals ("default" skipped as above), rekey_time ->
 *     lifetime_s (life_time when rekey_time is absent or 0), rekey_bytes -> lifetime_kb
 *     (life_bytes likewise), local_ts, remote_ts, start_action (start / trap / none,
 *     several joined by '|' take the most active; absent: none = respond-only),
 *     dpd_action (also the peer's: the first child that sets one), if_id_in / if_id_out
 *     (route-based), and mark_in / mark_out, route-based only when the child's selectors
 *     are all 0.0.0.0/0 or ::/0 (a VTI): a mark on narrower selectors is policy routing
 *     (DSCP classes in strongSwan's own tests), not a tunnel interface.
 *   The peer's startup is the most active of its children's (respond-only without any).
 *   secrets.ike*: a secret sets psk_set on each peer that authenticates with psk (local
 *     or remote auth = psk) and that one of the secret's id* keys names (its local or
 *     remote identity, the address when no id is set; fnmatch patterns, %any matches
 *     all); a secret without ids names every such peer. psk_weak comes from the secret
 *     that names the peer best (both identities over one over none-given, the first of
 *     equals, as strongSwan ranks shared keys), judged on the key's bytes (0x hex and
 *     0s base64 decoded) while reading it; the key is then wiped: the tree keeps no
 *     secret (nor a private key's or token's "pin").
 * skipped counts the include lines and every pair nothing above read (an overridden,
 * inherited one counts as read), including those of sections the model has no place for
 * (authorities, pools, eap/xauth secrets). */
#include "libdiag/devconf/devconf.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 32
#define MAX_REFS 8
#define MAX_VIEW 16  /* sections one view may merge (a section plus what it inherits) */
#define MAX_INHERIT 8
/* Pairs and sections a whole file's lookups may look at: far above any real file, it
 * stops a crafted one (many connections inheriting a huge section) from taking minutes. */
#define MAX_WORK (50u * 1000 * 1000)

struct kv {
	const char *key;
	const char *val;  /* NULL for a secret */
	int line;
	bool used;
	bool weak;        /* for a secret: breaks AWS's PSK rules */
	struct kv *next;
};

struct sec {
	const char *name;
	size_t nlen;
	int line;
	struct sec *root;  /* the tree's root, which holds the children table */
	struct sec **tab;  /* root only: open-addressing table of every section by
			    * (parent, name), so a file of many sections stays linear */
	size_t tabcap, tabn;
	size_t work;       /* root only: pairs and sections looked at, against MAX_WORK */
	const char *refs[MAX_REFS];
	size_t nrefs;
	struct sec *parent, *child, *last_child, *next;
	struct kv *kvs, *last_kv;
};

struct lexer {
	const char *s;
	size_t len, pos;
	int line;
	struct devconf_model *m;
	struct diag_error *err;
};

/* ---- PSK rules ------------------------------------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* AWS's rules on the key's bytes: 8-64 of letters, digits, '.', '_', not starting with 0. */
static bool bytes_weak(const unsigned char *k, size_t n)
{
	if (n < 8 || n > 64 || k[0] == '0')
		return true;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '.' || k[i] == '_'))
			return true;
	return false;
}

/* Whether a swanctl secret (as written, quotes removed) breaks AWS's PSK rules: 0x.. is
 * hex and 0s.. base64 for the bytes (strongSwan's encodings). The decoded copy is wiped. */
static bool psk_weak(const char *k, size_t n)
{
	unsigned char buf[96];
	size_t bn = 0;
	bool weak;

	if (n >= 2 && k[0] == '0' && (k[1] == 'x' || k[1] == 'X')) {
		if ((n - 2) % 2 || (n - 2) / 2 > sizeof buf)
			return true;
		for (size_t i = 2; i < n; i += 2) {
			int hi = hexval(k[i]), lo = hexval(k[i + 1]);

			if (hi < 0 || lo < 0)
				return true;
			buf[bn++] = (unsigned char)(hi * 16 + lo);
		}
	} else if (n >= 2 && k[0] == '0' && (k[1] == 's' || k[1] == 'S')) {
		unsigned acc = 0, bits = 0;

		for (size_t i = 2; i < n && k[i] != '='; i++) {
			int v = b64val(k[i]);

			if (v < 0 || bn >= sizeof buf) {
				memset(buf, 0, sizeof buf);
				return true;
			}
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf[bn++] = (unsigned char)(acc >> bits);
				acc &= (1u << bits) - 1;
			}
		}
	} else {
		return bytes_weak((const unsigned char *)k, n);
	}
	weak = bytes_weak(buf, bn);
	memset(buf, 0, sizeof buf);
	return weak;
}

/* ---- lexing into the tree --------------------------------------------------------------- */

static bool at_end(const struct lexer *lx)
{
	return lx->pos >= lx->len;
}

static char cur(const struct lexer *lx)
{
	return lx->pos < lx->len ? lx->s[lx->pos] : '\0';
}

/* Skips blanks and comments; newlines too when nl. */
static void skip_space(struct lexer *lx, bool nl)
{
	while (!at_end(lx)) {
		char c = cur(lx);

		if (c == '#') {
			while (!at_end(lx) && cur(lx) != '\n')
				lx->pos++;
		} else if (c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n')) {
			if (c == '\n')
				lx->line++;
			lx->pos++;
		} else {
			break;
		}
	}
}

static bool name_char(char c)
{
	return c && !strchr(" \t\r\n{}=:,#\"", c);
}

static size_t read_name(struct lexer *lx, const char **name)
{
	size_t start = lx->pos;

	while (!at_end(lx) && name_char(cur(lx)))
		lx->pos++;
	*name = lx->s + start;
	return lx->pos - start;
}

static size_t child_hash(const struct sec *parent, const char *name, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)parent;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
}

static struct sec *find_child(const struct sec *s, const char *name, size_t n)
{
	const struct sec *root = s->root;
	size_t mask = root->tabcap - 1;

	if (!root->tabcap)
		return NULL;
	for (size_t i = child_hash(s, name, n) & mask;; i = (i + 1) & mask) {
		struct sec *c = root->tab[i];

		if (!c)
			return NULL;
		if (c->parent == s && c->nlen == n && memcmp(c->name, name, n) == 0)
			return c;
	}
}

static void tab_put(struct sec *root, struct sec *c)
{
	size_t mask = root->tabcap - 1, i = child_hash(c->parent, c->name, c->nlen) & mask;

	while (root->tab[i])
		i = (i + 1) & mask;
	root->tab[i] = c;
	root->tabn++;
}

/* Enters c in the root's table (grown to keep it at most half full); -1 on memory. */
static int tab_add(struct devconf_model *m, struct sec *root, struct sec *c)
{
	if ((root->tabn + 1) * 2 > root->tabcap) {
		size_t old = root->tabcap, cap = old ? old * 2 : 64;
		struct sec **was = root->tab;

		if (!(root->tab = arena_alloc(&m->arena, cap * sizeof *root->tab)))
			return -1;
		memset(root->tab, 0, cap * sizeof *root->tab);
		root->tabcap = cap;
		root->tabn = 0;
		for (size_t i = 0; i < old; i++)
			if (was[i])
				tab_put(root, was[i]);
	}
	tab_put(root, c);
	return 0;
}

static struct sec *new_sec(struct devconf_model *m, struct sec *parent, const char *name,
			   size_t n, int line)
{
	struct sec *s = arena_alloc(&m->arena, sizeof *s);

	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	s->name = devconf_strdup(m, name, n);
	s->nlen = n;
	s->line = line;
	s->parent = parent;
	s->root = parent ? parent->root : s;
	if (!s->name)
		return NULL;
	if (parent) {
		if (tab_add(m, s->root, s) < 0)
			return NULL;
		if (parent->last_child)
			parent->last_child->next = s;
		else
			parent->child = s;
		parent->last_child = s;
	}
	return s;
}

static int oom(struct lexer *lx)
{
	return diag_fail(lx->err, DIAG_EXIT_SOFTWARE, lx->m->file, "out of memory");
}

/* Is the key one whose value must not be kept (a PSK, a private key's passphrase, a
 * token's PIN)? */
static bool secret_key(const char *key, size_t n)
{
	return (n == 6 && memcmp(key, "secret", 6) == 0) || (n == 3 && memcmp(key, "pin", 3) == 0);
}

/* Scans the value after '=' the way strongSwan's lexer does: runs of text and "quoted"
 * strings (escapes \n \r \t \x, a backslash-newline joins lines) up to a newline, '#' or
 * '}', joined by single blanks. Writes it to v unless v is NULL (then only measures);
 * returns its length, or -1 for a string that is not closed. */
static long scan_value(struct lexer *lx, char *v)
{
	size_t o = 0;

	for (;;) {
		while (!at_end(lx) && (cur(lx) == ' ' || cur(lx) == '\t' || cur(lx) == '\r'))
			lx->pos++;
		if (at_end(lx) || cur(lx) == '\n' || cur(lx) == '#' || cur(lx) == '}')
			return (long)o;
		if (o && v)
			v[o] = ' ';
		o += o > 0;
		if (cur(lx) != '"') {
			for (; !at_end(lx) && !strchr("#}\"\r\n\t ", cur(lx)); lx->pos++, o++)
				if (v)
					v[o] = cur(lx);
			continue;
		}
		for (lx->pos++; !at_end(lx) && cur(lx) != '"'; lx->pos++) {
			char c = cur(lx);

			if (c == '\n')
				lx->line++;
			if (c == '\r')
				continue;
			if (c == '\\' && lx->pos + 1 < lx->len) {
				c = lx->s[++lx->pos];
				if (c == '\r' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '\n')
					c = lx->s[++lx->pos];
				if (c == '\n') {
					lx->line++;
					continue;
				}
				c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
			}
			if (v)
				v[o] = c;
			o++;
		}
		if (at_end(lx))
			return -1;
		lx->pos++;
	}
}

/* Reads the value after '=' (scan_value) and appends the pair to s. A secret's value is
 * judged and wiped, never kept. */
static int read_value(struct lexer *lx, struct sec *s, const char *key, size_t klen)
{
	struct lexer probe = *lx;
	long n = scan_value(&probe, NULL);
	char *v;
	struct kv *kv;
	int line = lx->line;
	bool secret = secret_key(key, klen);

	if (n < 0)
		return devconf_fail(lx->m, line, lx->err, "%.*s: quoted value is not closed",
				    (int)klen, key);
	if (!(v = arena_alloc(&lx->m->arena, (size_t)n + 1)) ||
	    !(kv = arena_alloc(&lx->m->arena, sizeof *kv)))
		return oom(lx);
	scan_value(lx, v);
	v[n] = '\0';
	/* A quoted string over several lines is cut at its first newline: no field needs
	 * more, and a stray quote would otherwise pull the following lines (a secret's
	 * value among them) into this one's, where dumps and errors show it. */
	{
		char *nl = memchr(v, '\n', (size_t)n);

		if (nl) {
			memset(nl, 0, (size_t)(v + n - nl));
			n = nl - v;
		}
	}
	memset(kv, 0, sizeof *kv);
	kv->key = devconf_strdup(lx->m, key, klen);
	kv->line = line;
	if (secret) {
		kv->weak = psk_weak(v, (size_t)n);
		memset(v, 0, (size_t)n);
	} else {
		kv->val = v;
	}
	if (!kv->key)
		return oom(lx);
	if (s->last_kv)
		s->last_kv->next = kv;
	else
		s->kvs = kv;
	s->last_kv = kv;
	return 0;
}

/* Reads `: ref, ref` up to the '{' into s's references (appended). */
static int read_refs(struct lexer *lx, struct sec *s)
{
	for (;;) {
		const char *r;
		size_t n;

		skip_space(lx, true);
		n = read_name(lx, &r);
		if (n == 0)
			return devconf_fail(lx->m, lx->line, lx->err,
					    "section %s: a section name expected after ':'",
					    s->name);
		if (s->nrefs < MAX_REFS) {
			if (!(s->refs[s->nrefs++] = devconf_strdup(lx->m, r, n)))
				return oom(lx);
		} else {
			lx->m->skipped++;
		}
		skip_space(lx, true);
		if (cur(lx) != ',')
			return 0;
		lx->pos++;
	}
}

/* The whole text into the tree under root. */
static int lex(struct lexer *lx, struct sec *root)
{
	struct sec *s = root;
	int depth = 0;

	for (;;) {
		const char *name;
		size_t n;
		int line;

		skip_space(lx, true);
		if (at_end(lx))
			break;
		line = lx->line;
		if (cur(lx) == '}') {
			if (depth == 0)
				return devconf_fail(lx->m, line, lx->err,
						    "'}' without a section to close");
			lx->pos++;
			s = s->parent;
			depth--;
			continue;
		}
		n = read_name(lx, &name);
		if (n == 0)
			return devconf_fail(lx->m, line, lx->err, "unexpected '%c'", cur(lx));
		if (n == 7 && memcmp(name, "include", 7) == 0 &&
		    (cur(lx) == ' ' || cur(lx) == '\t')) {
			skip_space(lx, false);
			if (cur(lx) != '=' && cur(lx) != '{' && cur(lx) != ':') {
				while (!at_end(lx) && !strchr("\n#}", cur(lx)))
					lx->pos++;
				lx->m->skipped++;
				continue;
			}
		}
		skip_space(lx, false);
		if (cur(lx) == '=') {
			lx->pos++;
			if (read_value(lx, s, name, n) < 0)
				return -1;
			continue;
		}
		skip_space(lx, true);
		if (cur(lx) == ':' || cur(lx) == '{') {
			struct sec *c = find_child(s, name, n);

			if (depth >= MAX_DEPTH)
				return devconf_fail(lx->m, line, lx->err,
						    "sections nested deeper than %d", MAX_DEPTH);
			if (!c && !(c = new_sec(lx->m, s, name, n, line)))
				return oom(lx);
			if (cur(lx) == ':') {
				lx->pos++;
				if (read_refs(lx, c) < 0)
					return -1;
			}
			if (cur(lx) != '{')
				return devconf_fail(lx->m, lx->line, lx->err,
						    "section %s: '{' expected", c->name);
			lx->pos++;
			s = c;
			depth++;
			continue;
		}
		return devconf_fail(lx->m, line, lx->err,
				    "'%.*s' is followed by neither '=' nor '{'",
				    n > 40 ? 40 : (int)n, name);
	}
	if (depth > 0)
		return devconf_fail(lx->m, s->line, lx->err, "section %s is not closed", s->name);
	return 0;
}

/* ---- views: a section with what it inherits -------------------------------------------- */

struct view {
	struct sec *s[MAX_VIEW];
	size_t n;
};

/* The section at a dotted path from the root, or NULL. */
static struct sec *resolve(struct sec *root, const char *path)
{
	struct sec *s = root;

	while (s && *path) {
		size_t n = strcspn(path, ".");

		s = find_child(s, path, n);
		path += n;
		if (*path == '.')
			path++;
	}
	return s == root ? NULL : s;
}

/* Adds s, then what it inherits (depth first, capped), to v. */
static void view_add(struct view *v, struct sec *root, struct sec *s, int depth)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->s[i] == s)
			return;
	if (v->n >= MAX_VIEW)
		return;
	v->s[v->n++] = s;
	if (depth >= MAX_INHERIT)
		return;
	for (size_t r = 0; r < s->nrefs; r++) {
		struct sec *b = resolve(root, s->refs[r]);

		if (b)
			view_add(v, root, b, depth + 1);
	}
}

/* The subsection of that name in each section of v, with what they inherit. */
static void view_sub(const struct view *v, struct sec *root, const char *name,
		     struct view *out)
{
	out->n = 0;
	for (size_t i = 0; i < v->n; i++) {
		struct sec *c = find_child(v->s[i], name, strlen(name));

		if (c)
			view_add(out, root, c, 0);
	}
}

/* The last pair of that key in the first section of v that has one. Every pair of that
 * key in v is marked used: an overridden one was understood, not skipped. */
static struct kv *view_kv(const struct view *v, const char *key)
{
	struct kv *found = NULL;

	for (size_t i = 0; i < v->n; i++) {
		struct kv *here = NULL;

		for (struct kv *kv = v->s[i]->kvs; kv; kv = kv->next) {
			v->s[i]->root->work++;
			if (strcmp(kv->key, key) == 0) {
				kv->used = true;
				here = kv;
			}
		}
		if (!found)
			found = here;
	}
	return found;
}

static const char *view_get(const struct view *v, const char *key)
{
	struct kv *kv = view_kv(v, key);

	return kv ? kv->val : NULL;
}

/* The distinct subsection names of v in order (at most max). */
static size_t view_names(const struct view *v, const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < v->n; i++)
		for (struct sec *c = v->s[i]->child; c; c = c->next) {
			size_t k = 0;

			c->root->work += n + 1;
			if (n == max)
				return n; /* the rest stay unused and are counted as skipped */
			while (k < n && strcmp(names[k], c->name) != 0)
				k++;
			if (k == n)
				names[n++] = c->name;
		}
	return n;
}

/* ---- values ----------------------------------------------------------------------------- */

/* A strongSwan time ("1h", "30m", "3600", "2d", "90s"); -1 when it is not one. */
static long parse_time(const char *s)
{
	char *end;
	long v, mult = 1;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	switch (*end) {
	case '\0': case 's': break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > 2147483647L / mult)
		return -1;
	return v * mult;
}

/* A time key of v into *out (left alone when absent). */
static int get_time(struct devconf_model *m, const struct view *v, const char *key, long *out,
		    struct diag_error *err)
{
	struct kv *kv = view_kv(v, key);
	long t;

	if (!kv)
		return 0;
	if ((t = parse_time(kv->val)) < 0)
		return devconf_fail(m, kv->line, err, "%s: not a time ('%.40s')", key, kv->val);
	*out = t;
	return 0;
}

/* A byte count ("500000000", "1k", "2M", "1G"); -1 when it is not one. */
static long long parse_bytes(const char *s)
{
	char *end;
	long long v, mult = 1;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mult = 1024; break;
	case 'm': case 'M': mult = 1024 * 1024; break;
	case 'g': case 'G': mult = 1024LL * 1024 * 1024; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > (1LL << 50) / mult)
		return -1;
	return v * mult;
}

/* A byte-count key of v into *out (left alone when absent). */
static int bytes(struct devconf_model *m, const struct view *v, const char *key,
		 long long *out, struct diag_error *err)
{
	struct kv *kv = view_kv(v, key);

	if (!kv)
		return 0;
	if ((*out = parse_bytes(kv->val)) < 0)
		return devconf_fail(m, kv->line, err, "%s: not a byte count ('%.40s')", key,
				    kv->val);
	return 0;
}

static bool yes(const char *v)
{
	return v && (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
		     strcasecmp(v, "1") == 0 || strcasecmp(v, "enabled") == 0);
}

/* Calls fn for each comma-separated item of s (blanks trimmed), or returns its error. */
static int each_item(struct devconf_model *m, const char *s, int line, void *ctx,
		     int (*fn)(struct devconf_model *, int, const char *, size_t, void *))
{
	while (s && *s) {
		size_t n = strcspn(s, ",");
		const char *b = s, *e = s + n;

		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b && fn(m, line, b, (size_t)(e - b), ctx) < 0)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* Keeps the first transform of each type, in order. */
static void first_of_each_type(struct ike_proposal *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		bool seen = false;

		for (size_t j = 0; j < n; j++)
			seen |= p->t[j].type == p->t[i].type;
		if (!seen)
			p->t[n++] = p->t[i];
	}
	p->n = n;
}

struct prop_ctx {
	struct ike_proposal *list;
	size_t *n;
	bool esp;
	struct diag_error *err;
};

static int add_prop(struct devconf_model *m, int line, const char *s, size_t n, void *vctx)
{
	struct prop_ctx *c = vctx;
	char buf[512];

	if (n == 7 && memcmp(s, "default", 7) == 0) {
		m->skipped++;
		return 0;
	}
	if (n >= sizeof buf)
		return devconf_fail(m, line, c->err, "proposal longer than %zu characters",
				    sizeof buf - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return devconf_add_strongswan(m, line, buf, c->esp, c->list, c->n, c->err);
}

struct ts_ctx {
	struct devconf_child *c;
	bool local;
};

static int add_ts(struct devconf_model *m, int line, const char *s, size_t n, void *vctx)
{
	struct ts_ctx *c = vctx;

	(void)line;
	devconf_add_ts(m, c->c, c->local, s, n);
	return 0;
}

static int proposals(struct devconf_model *m, const struct view *v, const char *key, bool esp,
		     struct ike_proposal *list, size_t *n, struct diag_error *err)
{
	struct kv *kv = view_kv(v, key);
	struct prop_ctx c = { list, n, esp, err };

	if (!kv)
		return 0;
	return each_item(m, kv->val, kv->line, &c, add_prop);
}

/* start / trap / none, several joined by '|': the most active. */
static enum devconf_startup start_action(const char *v)
{
	if (!v)
		return DEVCONF_START_RESPOND;
	if (strstr(v, "start"))
		return DEVCONF_START_INITIATE;
	if (strstr(v, "trap") || strstr(v, "route"))
		return DEVCONF_START_ON_TRAFFIC;
	return DEVCONF_START_RESPOND;
}

static enum devconf_dpd_action dpd_action(const char *v)
{
	if (!v)
		return DEVCONF_DPD_UNKNOWN;
	if (strcmp(v, "clear") == 0)
		return DEVCONF_DPD_CLEAR;
	if (strcmp(v, "trap") == 0 || strcmp(v, "hold") == 0)
		return DEVCONF_DPD_HOLD;
	if (strcmp(v, "restart") == 0 || strcmp(v, "start") == 0)
		return DEVCONF_DPD_RESTART;
	if (strcmp(v, "none") == 0)
		return DEVCONF_DPD_NONE;
	return DEVCONF_DPD_UNKNOWN;
}

/* Rank of a startup: the most active wins. */
static int start_rank(enum devconf_startup s)
{
	switch (s) {
	case DEVCONF_START_INITIATE: return 3;
	case DEVCONF_START_ON_TRAFFIC: return 2;
	case DEVCONF_START_RESPOND: return 1;
	case DEVCONF_START_UNKNOWN: break;
	}
	return 0;
}

/* Do the child's selectors all cover everything (0.0.0.0/0, ::/0), with one at least on
 * each side? That, with a mark, is a VTI; a mark on narrower selectors is policy routing
 * (DSCP classes, for one), not a tunnel interface. */
static bool wide_ts(const struct devconf_child *c)
{
	if (!c || !c->nlocal_ts || !c->nremote_ts)
		return false;
	for (size_t i = 0; i < c->nlocal_ts + c->nremote_ts; i++) {
		const char *ts = i < c->nlocal_ts ? c->local_ts[i] : c->remote_ts[i - c->nlocal_ts];

		if (strcmp(ts, "0.0.0.0/0") != 0 && strcmp(ts, "::/0") != 0)
			return false;
	}
	return true;
}

/* if_id_in / if_id_out: an XFRM interface; mark_in / mark_out on 0.0.0.0/0 selectors
 * (c, NULL at connection level): a VTI. Either makes the peer route-based. */
static void route_keys(struct devconf_model *m, const struct view *v, struct devconf_peer *p,
		       const struct devconf_child *c)
{
	static const char *const keys[] = { "if_id_in", "if_id_out", "mark_in", "mark_out" };

	for (size_t i = 0; i < 4; i++) {
		const char *val = view_get(v, keys[i]);
		char buf[64];

		if (!val || strcmp(val, "0") == 0 || !*val || (i >= 2 && !wide_ts(c)))
			continue;
		p->route_based = true;
		if (!p->tunnel_if) {
			snprintf(buf, sizeof buf, "%s=%.40s", i < 2 ? "if_id" : "mark", val);
			p->tunnel_if = devconf_strdup(m, buf, strlen(buf));
		}
	}
}

static int child(struct devconf_model *m, struct sec *root, const struct view *vc,
		 const char *name, struct devconf_peer *p, struct diag_error *err)
{
	struct view v;
	struct devconf_child *c;
	struct kv *kv;
	struct ts_ctx tc;
	long t = DEVCONF_UNSET, rk = DEVCONF_UNSET;
	long long lb = -1, rb = -1;
	enum devconf_dpd_action da;

	view_sub(vc, root, name, &v);
	if (!(c = devconf_add_child(m, p, name, v.s[0]->line)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
	if (proposals(m, &v, "esp_proposals", true, c->esp, &c->nesp, err) < 0)
		return -1;
	for (size_t i = 0; i < c->nesp; i++)
		c->pfs_set |= ike_proposal_first(&c->esp[i], IKE_T_DH) &&
			      ike_proposal_first(&c->esp[i], IKE_T_DH)->id != 0;
	if (get_time(m, &v, "life_time", &t, err) < 0 || get_time(m, &v, "rekey_time", &rk, err) < 0)
		return -1;
	c->lifetime_s = rk > 0 ? rk : t;
	if (bytes(m, &v, "life_bytes", &lb, err) < 0 || bytes(m, &v, "rekey_bytes", &rb, err) < 0)
		return -1;
	if (rb > 0 || lb > 0)
		c->lifetime_kb = (long)((rb > 0 ? rb : lb) / 1024);
	tc.c = c;
	tc.local = true;
	if ((kv = view_kv(&v, "local_ts")) != NULL)
		each_item(m, kv->val, kv->line, &tc, add_ts);
	tc.local = false;
	if ((kv = view_kv(&v, "remote_ts")) != NULL)
		each_item(m, kv->val, kv->line, &tc, add_ts);
	c->startup = start_action(view_get(&v, "start_action"));
	if (start_rank(c->startup) > start_rank(p->startup))
		p->startup = c->startup;
	da = dpd_action(view_get(&v, "dpd_action"));
	if (da && !p->dpd_action)
		p->dpd_action = da;
	route_keys(m, &v, p, c);
	return 0;
}

/* The local* or remote* sections of a connection: the first id, whether any uses psk. */
static void auth_rounds(struct devconf_model *m, struct sec *root, const struct view *vc,
			const char *side, const char **id, bool *psk)
{
	const char *names[64];
	size_t n = view_names(vc, names, 64);

	for (size_t i = 0; i < n; i++) {
		struct view v;
		const char *val;

		if (strncmp(names[i], side, strlen(side)) != 0)
			continue;
		view_sub(vc, root, names[i], &v);
		if (!*id && (val = view_get(&v, "id")) != NULL)
			*id = val;
		if ((val = view_get(&v, "auth")) != NULL && strcmp(val, "psk") == 0)
			*psk = true;
	}
	(void)m;
}

struct peer_auth {
	bool psk; /* local or remote auth = psk */
};

static int connection(struct devconf_model *m, struct sec *root, const struct view *vconns,
		      const char *name, struct peer_auth *auth, struct diag_error *err)
{
	struct view v, vch;
	struct devconf_peer *p;
	const char *val, *names[64];
	long t = DEVCONF_UNSET;
	bool lpsk = false, rpsk = false;
	size_t nch;

	view_sub(vconns, root, name, &v);
	if (!(p = devconf_add_peer(m, name, v.s[0]->line)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
	p->remote_addr = view_get(&v, "remote_addrs");
	p->local_addr = view_get(&v, "local_addrs");
	val = view_get(&v, "version");
	p->ike_versions = (val && strcmp(val, "1") == 0) ? 1 : (val && strcmp(val, "2") == 0) ? 2 : 3;
	if (proposals(m, &v, "proposals", false, p->ike, &p->nike, err) < 0)
		return -1;
	if (get_time(m, &v, "reauth_time", &t, err) < 0)
		return -1;
	{
		long rk = DEVCONF_UNSET;

		if (get_time(m, &v, "rekey_time", &rk, err) < 0)
			return -1;
		if (rk > 0)
			t = rk;
	}
	p->ike_lifetime_s = t > 0 ? t : DEVCONF_UNSET;
	view_kv(&v, "over_time");
	if (get_time(m, &v, "dpd_delay", &p->dpd_delay_s, err) < 0 ||
	    get_time(m, &v, "dpd_timeout", &p->dpd_timeout_s, err) < 0)
		return -1;
	p->aggressive = yes(view_get(&v, "aggressive"));
	if ((val = view_get(&v, "encap")) != NULL)
		p->natt = yes(val) ? 2 : 1;
	route_keys(m, &v, p, NULL);
	auth_rounds(m, root, &v, "local", &p->local_id, &lpsk);
	auth_rounds(m, root, &v, "remote", &p->remote_id, &rpsk);
	auth->psk = lpsk || rpsk;
	view_sub(&v, root, "children", &vch);
	nch = view_names(&vch, names, 64);
	for (size_t i = 0; i < nch && root->work <= MAX_WORK; i++)
		if (child(m, root, &vch, names[i], p, err) < 0)
			return -1;
	if (!p->startup)
		p->startup = DEVCONF_START_RESPOND;
	/* strongSwan's "any" (version 0 or absent) always starts with IKEv2 and never falls
	 * back to IKEv1 */
	p->initiate_version = p->ike_versions == 1 ? 1 : 2;
	if (p->ike_versions == 1) {
		/* IKEv1 sends one transform per proposal, made of the first algorithm of each
		 * type (strongSwan's IKEv1 SA payload): the rest is never offered */
		for (size_t k = 0; k < p->nike; k++)
			first_of_each_type(&p->ike[k]);
		for (size_t c = 0; c < p->nchildren; c++)
			for (size_t k = 0; k < p->children[c].nesp; k++)
				first_of_each_type(&p->children[c].esp[k]);
	}
	return 0;
}

/* Does a secret's id (a pattern) name this identity? */
static bool id_match(const char *pattern, const char *id)
{
	if (!id)
		return false;
	return strcmp(pattern, "%any") == 0 || strcmp(pattern, id) == 0 ||
	       fnmatch(pattern, id, 0) == 0;
}

/* How well an ike secret names a peer, as strongSwan ranks shared keys: 1 for a secret
 * without ids (it matches everyone), 1 + one for each of the peer's two identities one of
 * its ids matches, 0 when it has ids and none matches. */
static int secret_score(const struct sec *s, const struct devconf_peer *p)
{
	const char *lid = p->local_id ? p->local_id : p->local_addr;
	const char *rid = p->remote_id ? p->remote_id : p->remote_addr;
	bool ids = false, l = false, r = false;

	for (const struct kv *kv = s->kvs; kv; kv = kv->next)
		if (kv->val && strncmp(kv->key, "id", 2) == 0) {
			ids = true;
			l |= id_match(kv->val, lid);
			r |= id_match(kv->val, rid);
		}
	if (!ids)
		return 1;
	return (l || r) ? 1 + l + r : 0;
}

/* secrets.ike*: psk_set on each psk peer some secret names, psk_weak from the secret that
 * names it best (the first of equals). */
static void secrets(struct devconf_model *m, struct sec *root, const struct peer_auth *auth)
{
	struct sec *top = find_child(root, "secrets", 7);

	for (size_t i = 0; i < m->npeers && root->work <= MAX_WORK; i++) {
		struct devconf_peer *p = &m->peers[i];
		int best = 0;

		for (struct sec *s = top ? top->child : NULL; s; s = s->next) {
			struct kv *secret = NULL;
			int score;

			if (strncmp(s->name, "ike", 3) != 0)
				continue;
			for (struct kv *kv = s->kvs; kv; kv = kv->next) {
				root->work += 2;
				if (strcmp(kv->key, "secret") == 0)
					secret = kv;
				else if (strncmp(kv->key, "id", 2) == 0)
					kv->used = true;
			}
			if (!secret)
				continue;
			secret->used = true;
			if (!auth[i].psk || (score = secret_score(s, p)) <= best)
				continue;
			best = score;
			p->psk_set = true;
			p->psk_weak = secret->weak;
		}
	}
}

static int too_complex(struct devconf_model *m, int line, const char *where,
		       struct diag_error *err)
{
	return devconf_fail(m, line, err, "%.60s: too many inherited sections and values "
			    "(more than %u lookups in all)", where, MAX_WORK);
}

static size_t count_unused(const struct sec *s)
{
	size_t n = 0;

	for (const struct kv *kv = s->kvs; kv; kv = kv->next)
		n += !kv->used;
	for (const struct sec *c = s->child; c; c = c->next)
		n += count_unused(c);
	return n;
}

int devconf_parse_swanctl(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err)
{
	struct lexer lx = { text, len, 0, 1, m, err };
	struct sec *root = new_sec(m, NULL, "", 0, 0);
	struct view vroot = { { 0 }, 0 }, vconns;
	const char *names[256];
	struct peer_auth *auth;
	size_t n;

	if (!root)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
	if (lex(&lx, root) < 0)
		return -1;
	vroot.s[vroot.n++] = root;
	view_sub(&vroot, root, "connections", &vconns);
	n = view_names(&vconns, names, sizeof names / sizeof names[0]);
	auth = arena_alloc(&m->arena, (n ? n : 1) * sizeof *auth);
	if (!auth)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, m->file, "out of memory");
	memset(auth, 0, (n ? n : 1) * sizeof *auth);
	for (size_t i = 0; i < n; i++) {
		if (connection(m, root, &vconns, names[i], &auth[i], err) < 0)
			return -1;
		if (root->work > MAX_WORK)
			return too_complex(m, m->peers[m->npeers - 1].line, names[i], err);
	}
	secrets(m, root, auth);
	if (root->work > MAX_WORK)
		return too_complex(m, 0, "secrets", err);
	m->skipped += count_unused(root);
	return 0;
}
