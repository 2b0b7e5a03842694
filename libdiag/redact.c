#include "libdiag/redact.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "libdiag/wipebuf.h"

static const char *const secret_words[] = {
	"psk", "secret", "password", "passwd", "passphrase", "token",
};

/* "key" alone is no secret (AWS tags are {"Key", "Value"}; IKE has key lengths), but a
 * shared, private or API key is. */
static const char *const key_qualifiers[] = {
	"shared", "preshared", "private", "api", "auth", "session", "signing",
};

static bool in_list(const char *const *list, size_t len, const char *w, size_t n)
{
	for (size_t i = 0; i < len; i++)
		if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}

/* A plural counts too: "preshared_keys" holds secrets as surely as "preshared_key". */
static bool word_is(const char *const *list, size_t len, const char *w, size_t n)
{
	return in_list(list, len, w, n) ||
	       (n > 1 && (w[n - 1] == 's' || w[n - 1] == 'S') && in_list(list, len, w, n - 1));
}

static bool is_secret_word(const char *w, size_t n, const char *prev, size_t prev_n)
{
	static const char *const key[] = {"key"};

	if (word_is(secret_words, sizeof secret_words / sizeof *secret_words, w, n))
		return true;
	return prev && word_is(key, 1, w, n) &&
	       in_list(key_qualifiers, sizeof key_qualifiers / sizeof *key_qualifiers, prev,
		       prev_n);
}

/* Length of the word starting at s (letters only, at most max bytes read; s[0] is a
 * letter). A word ends before an upper-case letter that follows a lower-case one
 * ("preShared"), and before the last capital of an acronym that runs into a lower-case
 * word ("PSKValue" is PSK + Value), though not into a lone plural 's' ("PSKs" is one
 * word). */
static size_t word_len(const char *s, size_t max)
{
	size_t n = 1;

	while (n < max && isalpha((unsigned char)s[n])) {
		bool up = isupper((unsigned char)s[n]);
		bool prev_up = isupper((unsigned char)s[n - 1]);

		if (up && !prev_up)
			break;
		if (up && prev_up && n + 2 < max && islower((unsigned char)s[n + 1]) &&
		    islower((unsigned char)s[n + 2]))
			break;
		n++;
	}
	return n;
}

bool redact_key_is_secret(const char *key)
{
	const char *p = key, *prev = NULL;
	size_t prev_n = 0;

	if (!key)
		return false;
	while (*p) {
		size_t n;

		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		n = word_len(p, strlen(p));
		if (is_secret_word(p, n, prev, prev_n))
			return true;
		prev = p;
		prev_n = n;
		p += n;
	}
	return false;
}

/* Adds item under key (or to the array when key is NULL); frees item on failure. */
static bool add_child(cJSON *parent, const char *key, cJSON *item)
{
	bool ok;

	if (!item)
		return false;
	ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok)
		cJSON_Delete(item);
	return ok;
}

cJSON *redact_copy(const cJSON *v)
{
	cJSON *out;
	const cJSON *c;

	if (!v)
		return NULL;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return cJSON_Duplicate(v, false);
	out = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
	if (!out)
		return NULL;
	cJSON_ArrayForEach(c, v) {
		const char *key = cJSON_IsObject(v) ? c->string : NULL;
		cJSON *copy;

		if (cJSON_IsObject(v) && !key)
			continue; /* a hand-built object without a key: nothing to name it by */
		copy = key && redact_key_is_secret(key) ? cJSON_CreateString(REDACTED)
							: redact_copy(c);
		if (!add_child(out, key, copy)) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

/* ---- free text ---------------------------------------------------------------------- */

#define LEARNED_MAX 1024
#define TAG_SPAN_MAX 4096 /* the longest "<name attr=...>" taken for a tag */
#define DEPTH_MAX 64

struct redactor {
	char **lit;      /* learned secrets, longest first */
	size_t *lit_len;
	size_t n;
};

struct redactor *redactor_new(void)
{
	return calloc(1, sizeof(struct redactor));
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		OPENSSL_cleanse(r->lit[i], r->lit_len[i]);
		free(r->lit[i]);
	}
	free(r->lit);
	free(r->lit_len);
	free(r);
}

int redactor_learn(struct redactor *r, const char *s, size_t n)
{
	size_t i;
	char *copy;

	if (!r || !s)
		return -1;
	if (n < REDACT_LEARN_MIN || n > REDACT_LEARN_MAX)
		return 0;
	for (i = 0; i < r->n; i++)
		if (r->lit_len[i] == n && memcmp(r->lit[i], s, n) == 0)
			return 0;
	if (r->n == LEARNED_MAX)
		return -1;
	if (!r->lit) {
		r->lit = calloc(LEARNED_MAX, sizeof *r->lit);
		r->lit_len = calloc(LEARNED_MAX, sizeof *r->lit_len);
		if (!r->lit || !r->lit_len) {
			free(r->lit);
			free(r->lit_len);
			r->lit = NULL;
			r->lit_len = NULL;
			return -1;
		}
	}
	if (!(copy = malloc(n)))
		return -1;
	memcpy(copy, s, n);
	/* longest first, so "abcdefgh" wins over its own prefix "abcdef" */
	for (i = r->n; i > 0 && r->lit_len[i - 1] < n; i--) {
		r->lit[i] = r->lit[i - 1];
		r->lit_len[i] = r->lit_len[i - 1];
	}
	r->lit[i] = copy;
	r->lit_len[i] = n;
	r->n++;
	return 0;
}

void redactor_learn_env(struct redactor *r, char *const *envp)
{
	char name[128];

	if (!r || !envp)
		return;
	for (; *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		size_t n = eq ? (size_t)(eq - *envp) : 0;

		if (!eq || n == 0 || n >= sizeof name)
			continue;
		memcpy(name, *envp, n);
		name[n] = '\0';
		if (redact_key_is_secret(name) || strcmp(name, "AWS_ACCESS_KEY_ID") == 0)
			(void)redactor_learn(r, eq + 1, strlen(eq + 1));
	}
}

/* One pass over a text. Output grows in a wipebuf (the input holds secrets, and so may
 * a failed half of the output); every "<redacted>" written is remembered by offset so
 * that the learned-secret pass never matches across one. */
struct scan {
	const char *s;
	size_t len, pos;
	enum redact_kind kind;
	struct redactor *r;
	struct wipebuf out;
	size_t *marks; /* offsets in out of the "<redacted>" written */
	size_t nmarks, capmarks;
	bool oom;
	int depth;          /* open XML elements named like a secret */
	size_t content_at;  /* where the text after the last tag starts; SIZE_MAX: none */
	size_t prev_ws, prev_we; /* the last word */
	bool have_prev;
};

static bool wordc(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

static bool b64c(unsigned char c)
{
	return isalnum(c) || c == '+' || c == '/';
}

static bool at(const struct scan *sc, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return i <= sc->len && n <= sc->len - i && memcmp(sc->s + i, lit, n) == 0;
}

static bool at_case(const struct scan *sc, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return i <= sc->len && n <= sc->len - i && strncasecmp(sc->s + i, lit, n) == 0;
}

static void emit(struct scan *sc, size_t a, size_t b)
{
	if (b > a && wipebuf_add(&sc->out, sc->s + a, b - a) < 0)
		sc->oom = true;
}

static void emit_mark(struct wipebuf *out, size_t **marks, size_t *n, size_t *cap, bool *oom)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		size_t *nm = nc > SIZE_MAX / sizeof *nm ? NULL : realloc(*marks, nc * sizeof *nm);

		if (!nm) {
			*oom = true;
			return;
		}
		*marks = nm;
		*cap = nc;
	}
	(*marks)[(*n)++] = out->len;
	if (wipebuf_add(out, REDACTED, sizeof REDACTED - 1) < 0)
		*oom = true;
}

/* Hides s[a, b) (never empty) and learns it. */
static void hide(struct scan *sc, size_t a, size_t b)
{
	emit_mark(&sc->out, &sc->marks, &sc->nmarks, &sc->capmarks, &sc->oom);
	if (sc->r && !memmem(sc->s + a, b - a, REDACTED, sizeof REDACTED - 1))
		(void)redactor_learn(sc->r, sc->s + a, b - a);
}

/* ---- XML elements ---- */

struct tag {
	size_t head_end; /* after the name */
	size_t end;      /* after the closing '>' */
	bool closing, empty, secret;
};

/* The length of a '<' at i, plain or escaped ("&lt;", "\u003c"), or 0. */
static size_t lt_at(const struct scan *sc, size_t i)
{
	if (i < sc->len && sc->s[i] == '<')
		return 1;
	if (at(sc, i, "&lt;"))
		return 4;
	if (at_case(sc, i, "\\u003c"))
		return 6;
	return 0;
}

static size_t gt_at(const struct scan *sc, size_t i)
{
	if (i < sc->len && sc->s[i] == '>')
		return 1;
	if (at(sc, i, "&gt;"))
		return 4;
	if (at_case(sc, i, "\\u003e"))
		return 6;
	return 0;
}

static bool secret_name(const char *w, size_t n);

/* Is there a tag ("<name ...>", "</name>", "<\/name>", escaped or not) at i? */
static bool tag_at(const struct scan *sc, size_t i, struct tag *t)
{
	size_t j = i + lt_at(sc, i), name, k;

	if (j == i)
		return false;
	memset(t, 0, sizeof *t);
	if (j < sc->len && sc->s[j] == '/') {
		t->closing = true;
		j++;
	} else if (at(sc, j, "\\/")) {
		t->closing = true;
		j += 2;
	}
	if (j >= sc->len || !(isalpha((unsigned char)sc->s[j]) || sc->s[j] == '_'))
		return false;
	name = j;
	while (j < sc->len && (wordc((unsigned char)sc->s[j]) || sc->s[j] == ':'))
		j++;
	t->head_end = j;
	for (k = j; k < sc->len && k - i < TAG_SPAN_MAX; k++) {
		size_t g = gt_at(sc, k);

		if (g) {
			t->end = k + g;
			t->empty = k > j && sc->s[k - 1] == '/';
			break;
		}
		if (k > j && lt_at(sc, k))
			return false;
	}
	if (!t->end)
		return false;
	/* a namespace prefix says nothing: "ns:password" is a password */
	for (k = j; k > name && sc->s[k - 1] != ':'; k--)
		;
	t->secret = secret_name(sc->s + k, j - k);
	return true;
}

static size_t next_tag(const struct scan *sc, size_t from)
{
	struct tag t;

	for (size_t i = from; i < sc->len; i++)
		if ((sc->s[i] == '<' || sc->s[i] == '&' || sc->s[i] == '\\') && tag_at(sc, i, &t))
			return i;
	return sc->len;
}

static bool try_tag(struct scan *sc)
{
	struct tag t;

	if (!tag_at(sc, sc->pos, &t))
		return false;
	if (t.secret && t.closing && sc->depth > 0)
		sc->depth--;
	else if (t.secret && !t.closing && !t.empty && sc->depth < DEPTH_MAX)
		sc->depth++;
	sc->content_at = t.end;
	/* the name is copied; attributes are scanned like any text (password="..."). A tag
	 * without them is copied whole: an escaped "\u003e" must not start a word that runs
	 * into the element's text. */
	if (!memchr(sc->s + t.head_end, '=', t.end - t.head_end)) {
		emit(sc, sc->pos, t.end);
		sc->pos = t.end;
		return true;
	}
	emit(sc, sc->pos, t.head_end);
	sc->pos = t.head_end;
	return true;
}

/* The text inside a secret element, up to the next tag: hidden unless blank. */
static void element_text(struct scan *sc)
{
	size_t a = sc->pos, b = next_tag(sc, sc->pos), x = a, y = b;

	while (x < y && isspace((unsigned char)sc->s[x]))
		x++;
	while (y > x && isspace((unsigned char)sc->s[y - 1]))
		y--;
	emit(sc, a, x);
	if (y > x)
		hide(sc, x, y);
	emit(sc, y, b);
	sc->pos = b;
	sc->content_at = SIZE_MAX;
}

/* ---- PEM private keys ---- */

static bool try_pem(struct scan *sc)
{
	size_t i = sc->pos, e, body, end;

	if (!at(sc, i, "-----BEGIN "))
		return false;
	for (e = i + 11; e < sc->len && sc->s[e] != '\n' && sc->s[e] != '-'; e++)
		;
	if (e - i < 22 || !at(sc, e - 11, "PRIVATE KEY") || !at(sc, e, "-----"))
		return false;
	body = e + 5;
	end = body;
	while (end < sc->len && !at(sc, end, "-----END"))
		end++;
	emit(sc, i, body);
	/* one "<redacted>" per line of the body; the line breaks stay */
	for (size_t a = body; a < end;) {
		size_t b = a, x;

		while (b < end && sc->s[b] != '\n')
			b++;
		x = b;
		while (x > a && (sc->s[x - 1] == '\r' || sc->s[x - 1] == ' '))
			x--;
		if (x > a)
			hide(sc, a, x);
		emit(sc, x, b < end ? b + 1 : b);
		a = b < end ? b + 1 : b;
	}
	sc->pos = end;
	return true;
}

/* ---- URL userinfo: scheme://user:PASSWORD@host ---- */

static bool try_userinfo(struct scan *sc)
{
	size_t i = sc->pos + 3, colon = 0, j;

	if (!at(sc, sc->pos, "://"))
		return false;
	for (j = i; j < sc->len && !strchr("/ \t\r\n?#\"'<>@", sc->s[j]); j++)
		if (sc->s[j] == ':' && !colon)
			colon = j;
	if (j >= sc->len || sc->s[j] != '@' || !colon || colon + 1 == j)
		return false;
	emit(sc, sc->pos, colon + 1);
	hide(sc, colon + 1, j);
	sc->pos = j;
	return true;
}

/* ---- words that are secrets whatever precedes them ---- */

static bool b64_mixed(const char *s, size_t n)
{
	bool up = false, low = false, other = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		up |= isupper(c) != 0;
		low |= islower(c) != 0;
		other |= isdigit(c) || c == '+' || c == '/';
	}
	return up && low && other;
}

/* AWS access key ids, 40-character secret access keys, STS session tokens. */
static bool try_token(struct scan *sc)
{
	size_t i = sc->pos, run = 0, pad = 0;
	const char *s = sc->s + i;

	if (i > 0 && (b64c((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '-' || s[-1] == '='))
		return false;
	while (i + run < sc->len && b64c((unsigned char)s[run]))
		run++;
	if (run < 20)
		return false;
	while (pad < 2 && i + run + pad < sc->len && s[run + pad] == '=')
		pad++;
	if (i + run + pad < sc->len && (s[run + pad] == '_' || s[run + pad] == '-'))
		return false;
	if (at(sc, i, "AKIA") || at(sc, i, "ASIA")) {
		size_t k = 4;

		while (k < 20 && (isupper((unsigned char)s[k]) || isdigit((unsigned char)s[k])))
			k++;
		if (k == 20 && (run == 20 || !isalnum((unsigned char)s[20]))) {
			hide(sc, i, i + 20);
			sc->pos = i + 20;
			return true;
		}
	}
	if ((run + pad >= 100 && (at(sc, i, "IQoJb3JpZ2lu") || at(sc, i, "FwoGZXIvYXdz") ||
				  at(sc, i, "FQoGZXIvYXdz"))) ||
	    (run == 40 && pad == 0 && b64_mixed(s, run))) {
		hide(sc, i, i + run + pad);
		sc->pos = i + run + pad;
		return true;
	}
	return false;
}

/* ---- keywords and their values ---- */

static bool word_in(const char *w, size_t n, const char *const *list, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}
#define WORD_IN(w, n, list) word_in(w, n, list, sizeof list / sizeof *list)

/* Secrets by other names: FortiOS psksecret, Cisco key-string, strongSwan's ipsec.secrets
 * types, PAN-OS password hashes. */
static const char *const extra_secret_words[] = {
	"psksecret", "psksecret-remote", "key-string", "authentication-key", "phash",
	"xauth", "eap", "ntlm", "pin",
};

static bool secret_name(const char *w, size_t n)
{
	char buf[128];

	if (n == 0 || n >= sizeof buf)
		return false;
	if (WORD_IN(w, n, extra_secret_words))
		return true;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return redact_key_is_secret(buf);
}

/* Words between a keyword and its value: Cisco's encryption types are digits. */
static const char *const qualifiers[] = {
	"ascii-text", "hexadecimal", "enc", "encrypted", "unencrypted", "md5", "local",
	"remote", "plain", "cleartext",
};

/* Words after a keyword that mean no value follows on this line, English ones too (a
 * comment's "a hex PSK for any id"). */
static const char *const not_values[] = {
	"address", "hostname", "host", "keyring", "none", "{", "=", ":", "for", "of", "to",
	"is", "are", "in", "on", "with", "from", "and", "or", "the", "as", "by", "at", "if",
};

/* After Cisco's "key": "crypto key generate rsa", "key chain NAME". */
static const char *const key_not_values[] = {
	"generate", "zeroize", "import", "export", "pubkey-chain", "chain", "config-key",
	"storage", "decrypt", "encrypt", "exchange", "rsa", "ec", "size", "length", "lifetime",
	"id", "usage", "move",
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The end of a value that is not quoted: spaces, quotes, a tag or a JSON escape end it;
 * a trailing ';' or ',' (Junos, a list) stays outside. */
static size_t bare_end(const struct scan *sc, size_t a)
{
	size_t b = a;

	while (b < sc->len) {
		unsigned char c = (unsigned char)sc->s[b];

		if (isspace(c) || c == '"' || c == '\'' || c == '\0' || lt_at(sc, b) ||
		    at(sc, b, "&quot;"))
			break;
		if (c == '\\' && b + 1 < sc->len && strchr("nrt\"\\/u", sc->s[b + 1]))
			break;
		b++;
	}
	while (b > a + 1 && (sc->s[b - 1] == ';' || sc->s[b - 1] == ','))
		b--;
	return b;
}

struct value {
	size_t a, b;  /* what to hide */
	size_t next;  /* where scanning resumes (the closing quote is copied from there) */
	bool quoted;
};

/* The value that starts at q, if there is one on this line. */
static bool value_at(const struct scan *sc, size_t q, struct value *v)
{
	const char *s = sc->s;
	size_t j;

	if (q >= sc->len || strchr("\r\n{[(;,)]}", s[q]) || lt_at(sc, q))
		return false;
	memset(v, 0, sizeof *v);
	if (s[q] == '"' || s[q] == '\'') {
		for (j = q + 1; j < sc->len && s[j] != '\n' && s[j] != s[q]; j++)
			if (s[j] == '\\' && s[q] == '"' && j + 1 < sc->len && s[j + 1] != '\n')
				j++;
		j = j < sc->len ? j : sc->len;
		v->a = q + 1;
		v->b = j;
		while (v->b > v->a && s[v->b - 1] == '\r')
			v->b--;
		v->quoted = true;
	} else if (at(sc, q, "\\\"") || at(sc, q, "&quot;")) {
		const char *close = s[q] == '\\' ? "\\\"" : "&quot;";
		size_t open = strlen(close);

		for (j = q + open; j < sc->len && s[j] != '\n' && !at(sc, j, close); j++)
			;
		v->a = q + open;
		v->b = j < sc->len && at(sc, j, close) ? j : bare_end(sc, v->a);
		v->quoted = true;
	} else {
		v->a = q;
		v->b = bare_end(sc, q);
	}
	v->next = v->b;
	return v->b > v->a;
}

/* Is the value at least 6 bytes with a digit, mixed case or a symbol in it? */
static bool random_like(const struct scan *sc, const struct value *v)
{
	size_t n = v->b - v->a;
	bool digit = false, up = false, low = false, sym = false;

	for (size_t i = v->a; i < v->b; i++) {
		unsigned char c = (unsigned char)sc->s[i];

		digit |= isdigit(c) != 0;
		up |= i > v->a && isupper(c);
		low |= islower(c) != 0;
		sym |= strchr("+/=$!@#%^&*~_", c) != NULL && c;
	}
	return n >= 6 && (digit || (up && low) || sym);
}

/* Does a value seen after only spaces look like a key rather than an English word? */
static bool key_like(const struct scan *sc, const struct value *v)
{
	return v->quoted || v->b - v->a >= 16 || random_like(sc, v);
}

static size_t skip_blank(const struct scan *sc, size_t i)
{
	while (i < sc->len && blank(sc->s[i]))
		i++;
	return i;
}

static size_t token_end(const struct scan *sc, size_t i)
{
	while (i < sc->len && !isspace((unsigned char)sc->s[i]))
		i++;
	return i;
}

/* The words a keyword is made of ("pre-shared-key", "PSK", "auth-secret"). */
static const char *const keyword_words[] = {
	"pre", "shared", "preshared", "key", "keys", "psk", "psks", "secret", "secrets",
	"password", "passwords", "passwd", "passphrase", "token", "tokens", "auth",
	"authentication", "private", "api", "session", "signing", "psksecret", "string",
	"xauth", "eap", "ntlm", "pin", "phash", "local", "remote", "ike", "type",
};

/* Is s[a, b) itself a keyword (so it is no value: "auth = psk", "pre-shared-key key V")?
 * Only when it names a secret and is made of keyword words alone: "Tunnel1_Secret_Key"
 * and "T1_Secret" hold the word secret, but they are somebody's key. */
static bool keyword_token(const struct scan *sc, size_t a, size_t b)
{
	const char *s = sc->s;

	if (!secret_name(s + a, b - a) &&
	    !WORD_IN(s + a, b - a, ((const char *const[]){"key", "keys"})))
		return false;
	for (size_t i = a; i < b;) {
		size_t n;

		if (s[i] == '-' || s[i] == '_' || s[i] == '.') {
			i++;
			continue;
		}
		if (!isalpha((unsigned char)s[i]))
			return false;
		n = word_len(s + i, b - i);
		if (!WORD_IN(s + i, n, keyword_words))
			return false;
		i += n;
	}
	return true;
}

/* The value after a keyword and only spaces: skips qualifiers and returns false when
 * the line has no value there for this kind of text. */
static bool spaced_value(const struct scan *sc, size_t q, bool bare_key, struct value *v)
{
	for (int n = 0; n < 3 && q < sc->len; n++) {
		size_t e = token_end(sc, q), nx = skip_blank(sc, e);
		bool digits = e - q <= 2 && isdigit((unsigned char)sc->s[q]) &&
			      (e - q == 1 || isdigit((unsigned char)sc->s[q + 1]));

		if (!(WORD_IN(sc->s + q, e - q, qualifiers) ||
		      (digits && nx < sc->len && !isspace((unsigned char)sc->s[nx]))))
			break;
		q = nx;
	}
	if (!value_at(sc, q, v))
		return false;
	if (!v->quoted) {
		size_t e = token_end(sc, q);

		if (keyword_token(sc, q, e) || WORD_IN(sc->s + q, e - q, not_values) ||
		    (bare_key && WORD_IN(sc->s + q, e - q, key_not_values)))
			return false;
	}
	if (bare_key && sc->kind != REDACT_CONFIG)
		/* a log's 'key "V"': quoted and random-looking, not 'the key "Name"' */
		return v->quoted && random_like(sc, v);
	return sc->kind == REDACT_CONFIG || key_like(sc, v);
}

/* A word: copied; when it names a secret, its value on the same line is hidden. */
static bool try_word(struct scan *sc)
{
	const char *s = sc->s;
	size_t p = sc->pos, e = p, q;
	bool secret, bare_key, quoted, sep = false, plural;
	struct value v;

	if (!(isalnum((unsigned char)s[p]) || s[p] == '_') || (p > 0 && wordc((unsigned char)s[p - 1])))
		return false;
	while (e < sc->len && wordc((unsigned char)s[e]))
		e++;
	secret = secret_name(s + p, e - p) && !(p > 0 && s[p - 1] == '/');
	bare_key = !secret && WORD_IN(s + p, e - p, ((const char *const[]){"key", "keys"}));
	if (bare_key && sc->have_prev && sc->prev_we <= p && p - sc->prev_we < 8) {
		/* "Pre-Shared Key", "private key": two words make the secret */
		char two[160];
		size_t n1 = sc->prev_we - sc->prev_ws, i;

		for (i = sc->prev_we; i < p && blank(s[i]); i++)
			;
		if (i == p && i > sc->prev_we && n1 + 1 + (e - p) < sizeof two) {
			memcpy(two, s + sc->prev_ws, n1);
			two[n1] = ' ';
			memcpy(two + n1 + 1, s + p, e - p);
			two[n1 + 1 + (e - p)] = '\0';
			if (redact_key_is_secret(two)) {
				secret = true;
				bare_key = false;
			}
		}
	}
	sc->prev_ws = p;
	sc->prev_we = e;
	sc->have_prev = true;
	if (!secret && !bare_key)
		goto plain;
	quoted = p > 0 && e < sc->len && (s[p - 1] == '"' || s[p - 1] == '\'') && s[e] == s[p - 1];
	q = e;
	if (quoted)
		q++;
	else if (p > 1 && s[p - 1] == '"' && s[p - 2] == '\\' && at(sc, e, "\\\""))
		q += 2; /* an escaped JSON key inside a JSON string */
	q = skip_blank(sc, q);
	if (q < sc->len && (s[q] == '=' || s[q] == ':') && !at(sc, q, "::") &&
	    !at(sc, q, "==")) {
		sep = true;
		q++;
		if (q < sc->len && (s[q] == '>' || (s[q] == '=' && s[q - 1] == ':')))
			q++;
		q = skip_blank(sc, q);
	}
	plural = e - p > 3 && (s[e - 1] == 's' || s[e - 1] == 'S');
	if (sep) {
		/* AWS tags are {"Key": "Name", "Value": ...}: a quoted bare key is a tag */
		if ((bare_key && quoted) || !value_at(sc, q, &v))
			goto plain;
		/* prose after a colon: "ike.psk: the pre-shared key breaks...", "the tunnel's
		 * key: authentication fails" are sentences, not values */
		if (!v.quoted && sc->kind == REDACT_PROSE &&
		    (WORD_IN(s + v.a, v.b - v.a, not_values) ||
		     (bare_key && v.b - v.a < 16 && !random_like(sc, &v))))
			goto plain;
	} else {
		if (q == e || plural || !spaced_value(sc, q, bare_key, &v))
			goto plain;
	}
	emit(sc, p, v.a);
	hide(sc, v.a, v.b);
	sc->pos = v.next;
	return true;
plain:
	emit(sc, p, e);
	sc->pos = e;
	return true;
}

/* ---- the passes ---- */

static void scan_text(struct scan *sc)
{
	sc->content_at = SIZE_MAX;
	while (sc->pos < sc->len && !sc->oom) {
		if (sc->depth > 0 && sc->content_at != SIZE_MAX && sc->pos >= sc->content_at) {
			element_text(sc);
			continue;
		}
		if (try_tag(sc) || try_pem(sc) || try_userinfo(sc) || try_token(sc) ||
		    try_word(sc))
			continue;
		emit(sc, sc->pos, sc->pos + 1);
		sc->pos++;
	}
}

/* Hides every learned secret in t, except across the "<redacted>" already written
 * there (marks); the result goes to out. */
static void hide_learned(const struct redactor *r, const char *t, size_t len,
			 const size_t *marks, size_t nmarks, struct wipebuf *out, bool *oom)
{
	size_t i = 0, m = 0, start = 0;
	size_t *nm = NULL, nn = 0, nc = 0;

	while (i < len && !*oom) {
		size_t limit = m < nmarks ? marks[m] : len, hit = 0;

		if (i == limit && m < nmarks) {
			i += sizeof REDACTED - 1;
			m++;
			continue;
		}
		for (size_t k = 0; k < r->n; k++)
			if (r->lit_len[k] <= limit - i && r->lit[k][0] == t[i] &&
			    memcmp(t + i, r->lit[k], r->lit_len[k]) == 0) {
				hit = r->lit_len[k];
				break;
			}
		if (!hit) {
			i++;
			continue;
		}
		if (wipebuf_add(out, t + start, i - start) < 0)
			*oom = true;
		emit_mark(out, &nm, &nn, &nc, oom);
		i += hit;
		start = i;
	}
	if (wipebuf_add(out, t + start, len - start) < 0)
		*oom = true;
	free(nm);
}

char *redact_text(struct redactor *r, enum redact_kind kind, const char *in, size_t len,
		  size_t *out_len)
{
	struct scan sc = {.s = in, .len = in ? len : 0, .kind = kind, .r = r};
	char *res;

	scan_text(&sc);
	if (!sc.oom && r && r->n > 0) {
		struct wipebuf second = {0};

		hide_learned(r, sc.out.p ? sc.out.p : "", sc.out.len, sc.marks, sc.nmarks,
			     &second, &sc.oom);
		wipebuf_free(&sc.out);
		sc.out = second;
	}
	free(sc.marks);
	if (sc.oom) {
		wipebuf_free(&sc.out);
		return NULL;
	}
	res = wipebuf_take(&sc.out, out_len);
	if (!res)
		wipebuf_free(&sc.out);
	return res;
}
