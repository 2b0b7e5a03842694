/* XML to cJSON with expat: the rules are in xml.h.
 *
 * The tree is built while expat streams: one frame per open element holds what the
 * element will become. A frame's node stays NULL until a child or an attribute arrives,
 * is an array while every child so far was an "item", and turns into an object at the
 * first attribute or other child. Finding a sibling of the same name must not cost a
 * walk over the members (a wide document would be quadratic), so one hash table, keyed
 * by (parent serial number, member name) and salted per parse, indexes every member. */
#include "libdiag/xml.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <expat.h>
#include <openssl/crypto.h>

#include "libdiag/wipebuf.h"

/* Expat reports a namespaced name as URI, separator, local name. A newline cannot occur
 * in a name, and a URI holding one only pushes the local name further right. */
#define NS_SEP '\n'

struct frame {
	char *name;            /* local name */
	unsigned long id;      /* serial number, the parent key of its members */
	cJSON *node;           /* NULL, an array of "item" children, or an object */
	bool object;
	size_t items;          /* children while node is an array */
	size_t children;
	struct wipebuf text;   /* may be a pre-shared key: wiped as it grows */
};

struct slot {
	unsigned long parent;  /* 0: empty */
	bool repeated;         /* member has become an array of occurrences */
	cJSON *member;
};

struct xml_state {
	XML_Parser p;
	const char *source;
	struct diag_error *err;
	bool failed;
	struct frame frames[XML_MAX_DEPTH];
	size_t depth;
	unsigned long serial;
	size_t elements, attributes;
	struct slot *slots;
	size_t n_slots, cap_slots;
	uint64_t salt;
	cJSON *root;
};

/* ---- memory that is wiped before it is freed ---------------------------------------- */

#define HDR 16 /* keeps malloc's 16-byte alignment */

static void *wipe_malloc(size_t n)
{
	unsigned char *p;

	if (n > SIZE_MAX - HDR)
		return NULL;
	p = malloc(n + HDR);
	if (!p)
		return NULL;
	memcpy(p, &n, sizeof n);
	return p + HDR;
}

static void wipe_free(void *q)
{
	unsigned char *p;
	size_t n;

	if (!q)
		return;
	p = (unsigned char *)q - HDR;
	memcpy(&n, p, sizeof n);
	OPENSSL_cleanse(p, n + HDR);
	free(p);
}

static void *wipe_realloc(void *q, size_t n)
{
	void *r;
	size_t old;

	if (!q)
		return wipe_malloc(n);
	r = wipe_malloc(n);
	if (!r)
		return NULL;
	memcpy(&old, (unsigned char *)q - HDR, sizeof old);
	memcpy(r, q, old < n ? old : n);
	wipe_free(q);
	return r;
}

static const XML_Memory_Handling_Suite wipe_suite = {wipe_malloc, wipe_realloc, wipe_free};

/* ---- wiping trees ------------------------------------------------------------------- */

static void wipe_str(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
}

/* Wipes v's key and value and, unless v only refers to them, its children's. */
static void tree_wipe(cJSON *v)
{
	if (!(v->type & cJSON_StringIsConst))
		wipe_str(v->string);
	if (v->type & cJSON_IsReference)
		return;
	wipe_str(v->valuestring);
	for (cJSON *c = v->child; c; c = c->next)
		tree_wipe(c);
}

void xml_tree_free(cJSON *tree)
{
	if (!tree)
		return;
	tree_wipe(tree);
	cJSON_Delete(tree);
}

/* ---- errors ------------------------------------------------------------------------- */

/* Records the first error at expat's current position and stops the parser. */
static void fail_at(struct xml_state *st, enum diag_exit code, const char *what)
{
	char where[sizeof st->err->where];
	XML_ParsingStatus status;

	if (st->failed)
		return;
	st->failed = true;
	snprintf(where, sizeof where, "%s:%lu:%lu", st->source,
		 (unsigned long)XML_GetCurrentLineNumber(st->p),
		 (unsigned long)XML_GetCurrentColumnNumber(st->p) + 1);
	diag_fail(st->err, code, where, "XML error: %s", what);
	XML_GetParsingStatus(st->p, &status);
	if (status.parsing == XML_PARSING)
		XML_StopParser(st->p, XML_FALSE);
}

static void fail_oom(struct xml_state *st)
{
	fail_at(st, DIAG_EXIT_SOFTWARE, "out of memory");
}

/* ---- the member index --------------------------------------------------------------- */

static uint64_t member_hash(const struct xml_state *st, unsigned long parent, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ st->salt;

	h ^= (uint64_t)parent * 0x9e3779b97f4a7c15ULL;
	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	return h;
}

/* The slot of (parent, key): the one holding it or the empty one where it belongs. The
 * table is never full (it grows at half load). */
static struct slot *slot_find(struct xml_state *st, unsigned long parent, const char *key)
{
	size_t mask = st->cap_slots - 1;
	size_t i = (size_t)member_hash(st, parent, key) & mask;

	for (;; i = (i + 1) & mask) {
		struct slot *s = &st->slots[i];

		if (s->parent == 0 ||
		    (s->parent == parent && strcmp(s->member->string, key) == 0))
			return s;
	}
}

/* Makes room for one more member; -1 when out of memory. */
static int slots_reserve(struct xml_state *st)
{
	struct slot *old = st->slots;
	size_t old_cap = st->cap_slots, cap;

	if (st->n_slots + 1 <= st->cap_slots / 2)
		return 0;
	cap = old_cap ? old_cap * 2 : 256;
	st->slots = calloc(cap, sizeof *st->slots);
	if (!st->slots) {
		st->slots = old;
		return -1;
	}
	st->cap_slots = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].parent)
			*slot_find(st, old[i].parent, old[i].member->string) = old[i];
	free(old);
	return 0;
}

/* Turns member m into an array whose first element is what m held, in place, so it keeps
 * its key and its position among its siblings. */
static int member_to_array(cJSON *m)
{
	cJSON *first = cJSON_CreateNull();

	if (!first)
		return -1;
	first->type = m->type & ~cJSON_StringIsConst;
	first->valuestring = m->valuestring;
	first->valueint = m->valueint;
	first->valuedouble = m->valuedouble;
	first->child = m->child;
	m->type = cJSON_Array | (m->type & cJSON_StringIsConst);
	m->valuestring = NULL;
	m->child = NULL;
	cJSON_AddItemToArray(m, first);
	return 0;
}

/* Adds member key = v to f's object, or appends v to the array of earlier occurrences.
 * Takes v in every case; -1 when out of memory. */
static int add_member(struct xml_state *st, struct frame *f, const char *key, cJSON *v)
{
	struct slot *s;

	if (!v || slots_reserve(st) < 0)
		goto oom;
	s = slot_find(st, f->id, key);
	if (s->parent == 0) {
		if (!cJSON_AddItemToObject(f->node, key, v))
			goto oom;
		s->parent = f->id;
		s->member = v;
		st->n_slots++;
		return 0;
	}
	if (!s->repeated) {
		if (member_to_array(s->member) < 0)
			goto oom;
		s->repeated = true;
	}
	cJSON_AddItemToArray(s->member, v);
	return 0;
oom:
	xml_tree_free(v);
	return -1;
}

/* Makes f's node an object, moving the "item" children it has so far into member "item"
 * (one item, or an array of them); -1 when out of memory. */
static int ensure_object(struct xml_state *st, struct frame *f)
{
	cJSON *obj, *items = f->node;

	if (f->object)
		return 0;
	obj = cJSON_CreateObject();
	if (!obj)
		return -1;
	f->node = obj;
	f->object = true;
	if (!items)
		return 0;
	if (f->items == 1) {
		cJSON *one = cJSON_DetachItemFromArray(items, 0);

		cJSON_Delete(items);
		return add_member(st, f, "item", one);
	}
	if (add_member(st, f, "item", items) < 0)
		return -1;
	slot_find(st, f->id, "item")->repeated = true;
	return 0;
}

/* ---- expat handlers ----------------------------------------------------------------- */

static const char *local_name(const XML_Char *name)
{
	const char *sep = strrchr(name, NS_SEP);

	return sep ? sep + 1 : name;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_state *st = ud;
	struct frame *f;

	if (st->failed)
		return;
	if (st->depth == XML_MAX_DEPTH) {
		fail_at(st, DIAG_EXIT_DATAERR, "elements nested deeper than 64");
		return;
	}
	if (++st->elements > XML_MAX_ELEMENTS) {
		fail_at(st, DIAG_EXIT_DATAERR, "more than 200000 elements");
		return;
	}
	f = &st->frames[st->depth];
	memset(f, 0, sizeof *f);
	f->name = strdup(local_name(name));
	if (!f->name) {
		fail_oom(st);
		return;
	}
	f->id = ++st->serial;
	st->depth++;
	for (size_t i = 0; attrs[i]; i += 2) {
		const char *an = local_name(attrs[i]);
		size_t n = strlen(an);
		char *key;
		int rc;

		if (++st->attributes > XML_MAX_ATTRIBUTES) {
			fail_at(st, DIAG_EXIT_DATAERR, "more than 200000 attributes");
			return;
		}
		if (ensure_object(st, f) < 0 || !(key = malloc(n + 2))) {
			fail_oom(st);
			return;
		}
		key[0] = '@';
		memcpy(key + 1, an, n + 1);
		rc = add_member(st, f, key, cJSON_CreateString(attrs[i + 1]));
		free(key);
		if (rc < 0) {
			fail_oom(st);
			return;
		}
	}
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_state *st = ud;

	if (st->failed || st->depth == 0 || len <= 0)
		return;
	if (wipebuf_add(&st->frames[st->depth - 1].text, s, (size_t)len) < 0)
		fail_oom(st);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The text trimmed in place; "" when there is none. */
static const char *trimmed(struct wipebuf *b)
{
	size_t start = 0, end = b->len;

	if (!b->p)
		return "";
	while (start < end && is_space(b->p[start]))
		start++;
	while (end > start && is_space(b->p[end - 1]))
		end--;
	b->p[end] = '\0';
	return b->p + start;
}

static bool ends_with_set(const char *name)
{
	size_t n = strlen(name);

	return n >= 3 && strcmp(name + n - 3, "Set") == 0;
}

/* What the closing element f becomes; NULL when out of memory. Takes f's node. */
static cJSON *frame_value(struct xml_state *st, struct frame *f)
{
	const char *text = trimmed(&f->text);
	cJSON *v;

	if (!f->node) {
		if (!*text && ends_with_set(f->name))
			return cJSON_CreateArray();
		return cJSON_CreateString(text);
	}
	if (*text) {
		if (ensure_object(st, f) < 0 ||
		    add_member(st, f, "#text", cJSON_CreateString(text)) < 0)
			return NULL;
	}
	v = f->node;
	f->node = NULL;
	return v;
}

/* Hands child value v (named name) to its parent frame; -1 when out of memory. */
static int add_child(struct xml_state *st, struct frame *parent, const char *name, cJSON *v)
{
	parent->children++;
	if (!parent->object && strcmp(name, "item") == 0) {
		if (!parent->node && !(parent->node = cJSON_CreateArray())) {
			xml_tree_free(v);
			return -1;
		}
		cJSON_AddItemToArray(parent->node, v);
		parent->items++;
		return 0;
	}
	if (ensure_object(st, parent) < 0) {
		xml_tree_free(v);
		return -1;
	}
	return add_member(st, parent, name, v);
}

static void frame_free(struct frame *f)
{
	if (f->name) {
		wipe_str(f->name);
		free(f->name);
	}
	xml_tree_free(f->node);
	wipebuf_free(&f->text);
	memset(f, 0, sizeof *f);
}

static void on_end(void *ud, const XML_Char *name)
{
	struct xml_state *st = ud;
	struct frame *f;
	cJSON *v;
	int rc;

	(void)name;
	if (st->failed || st->depth == 0)
		return;
	f = &st->frames[st->depth - 1];
	v = frame_value(st, f);
	if (!v) {
		fail_oom(st);
		return;
	}
	if (st->depth == 1) {
		st->root = cJSON_CreateObject();
		rc = st->root && cJSON_AddItemToObject(st->root, f->name, v) ? 0 : -1;
		if (rc < 0)
			xml_tree_free(v);
	} else {
		rc = add_child(st, &st->frames[st->depth - 2], f->name, v);
	}
	frame_free(f);
	st->depth--;
	if (rc < 0)
		fail_oom(st);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail_at(ud, DIAG_EXIT_DATAERR, "document type declarations (DOCTYPE) are not allowed");
}

/* Unreachable without a DOCTYPE; kept so no future change can let an entity in. */
static void on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
			   int value_len, const XML_Char *base, const XML_Char *sysid,
			   const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	fail_at(ud, DIAG_EXIT_DATAERR, "entity declarations are not allowed");
}

/* ---- the parse ---------------------------------------------------------------------- */

static uint64_t random_salt(void)
{
	uint64_t salt = 0;

	if (getrandom(&salt, sizeof salt, GRND_NONBLOCK) != (ssize_t)sizeof salt)
		salt = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
		       (uint64_t)(uintptr_t)&salt;
	return salt;
}

static void state_free(struct xml_state *st)
{
	while (st->depth > 0)
		frame_free(&st->frames[--st->depth]);
	free(st->slots);
	xml_tree_free(st->root);
	if (st->p)
		XML_ParserFree(st->p);
	free(st);
}

cJSON *xml_to_tree(const char *buf, size_t len, const char *source, struct diag_error *err)
{
	struct xml_state *st;
	cJSON *root;

	if (!source)
		source = "input";
	if (len > XML_MAX_INPUT) {
		diag_fail(err, DIAG_EXIT_DATAERR, source,
			  "XML error: input larger than %zu MiB", XML_MAX_INPUT >> 20);
		return NULL;
	}
	st = calloc(1, sizeof *st);
	if (!st) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, source, "XML error: out of memory");
		return NULL;
	}
	st->source = source;
	st->err = err;
	st->salt = random_salt();
	st->p = XML_ParserCreate_MM(NULL, &wipe_suite, (XML_Char[]){NS_SEP, '\0'});
	if (!st->p) {
		diag_fail(err, DIAG_EXIT_SOFTWARE, source, "XML error: out of memory");
		state_free(st);
		return NULL;
	}
	XML_SetHashSalt(st->p, (unsigned long)st->salt);
	XML_SetParamEntityParsing(st->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetUserData(st->p, st);
	XML_SetElementHandler(st->p, on_start, on_end);
	XML_SetCharacterDataHandler(st->p, on_text);
	XML_SetStartDoctypeDeclHandler(st->p, on_doctype);
	XML_SetEntityDeclHandler(st->p, on_entity_decl);
	if (XML_Parse(st->p, buf ? buf : "", (int)len, XML_TRUE) != XML_STATUS_OK &&
	    !st->failed) {
		/* Expat's messages name the fault ("mismatched tag"), never the text. */
		fail_at(st, XML_GetErrorCode(st->p) == XML_ERROR_NO_MEMORY ? DIAG_EXIT_SOFTWARE
									   : DIAG_EXIT_DATAERR,
			XML_ErrorString(XML_GetErrorCode(st->p)));
	}
	if (st->failed || !st->root) {
		if (!st->failed)
			diag_fail(err, DIAG_EXIT_DATAERR, source, "XML error: no element found");
		state_free(st);
		return NULL;
	}
	root = st->root;
	st->root = NULL;
	state_free(st);
	return root;
}

/* ---- list views --------------------------------------------------------------------- */

size_t xml_list_len(const cJSON *v)
{
	if (!v)
		return 0;
	if (cJSON_IsArray(v))
		return (size_t)cJSON_GetArraySize(v);
	if (cJSON_IsString(v) && v->valuestring && !v->valuestring[0])
		return 0;
	return 1;
}

const cJSON *xml_list_first(const cJSON *v)
{
	if (xml_list_len(v) == 0)
		return NULL;
	return cJSON_IsArray(v) ? v->child : v;
}

const cJSON *xml_list_next(const cJSON *v, const cJSON *cur)
{
	return cJSON_IsArray(v) && cur ? cur->next : NULL;
}
