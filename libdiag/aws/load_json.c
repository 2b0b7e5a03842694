/* The AWS CLI's JSON into the AWS model, one walk over the schema tables (see
 * libdiag/aws/load_json.h). The walk goes by schema row, not by JSON member, so the row
 * order decides which of two spellings, or which route target, wins. */
#include "libdiag/aws/load_json.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "libdiag/aws/cgw_config.h"
#include "libdiag/aws/schema.h"
#include "libdiag/redact.h"

#define PATH_MAX_LEN 512
#define MAX_EXACT_INT 9007199254740992.0 /* 2^53: every whole number up to it is exact */

/* A JSON path being walked: "$.VpnConnections[0].Options". */
struct path {
	char buf[PATH_MAX_LEN];
	size_t len;
};

/* Appends piece to the path (cut short when it is full); returns the length to pop
 * back to. */
static size_t path_add(struct path *p, const char *piece)
{
	size_t old = p->len, room = sizeof p->buf - p->len, n = strlen(piece);

	if (n >= room)
		n = room - 1;
	memcpy(p->buf + p->len, piece, n);
	p->len += n;
	p->buf[p->len] = '\0';
	return old;
}

static size_t path_key(struct path *p, const char *key)
{
	char piece[PATH_MAX_LEN];

	snprintf(piece, sizeof piece, ".%s", key);
	return path_add(p, piece);
}

static size_t path_index(struct path *p, size_t i)
{
	char piece[32];

	snprintf(piece, sizeof piece, "[%zu]", i);
	return path_add(p, piece);
}

static void path_pop(struct path *p, size_t old)
{
	p->len = old;
	p->buf[old] = '\0';
}

static void path_init(struct path *p, const char *root)
{
	snprintf(p->buf, sizeof p->buf, "%s", root);
	p->len = strlen(p->buf);
}

/* One load: where it writes, what it is called, where it is. */
struct ld {
	struct aws_model *m;
	const char *source;
	struct diag_error *err;
	struct path path;
};

#define AWS_JSON_MAX_CONTAINERS 1000000u

static int type_error(struct ld *l, const char *what)
{
	return diag_fail(l->err, DIAG_EXIT_DATAERR, l->source, "%s: %s", l->path.buf, what);
}

static int oom(struct ld *l)
{
	return diag_fail(l->err, DIAG_EXIT_SOFTWARE, l->source,
			 "%s: out of memory (or past the model's size limit)", l->path.buf);
}

/* Pointer fields of any struct type, read and written through memcpy so that no object
 * is accessed through an lvalue of another pointer type. */
static void *get_ptr(const char *at)
{
	void *p;

	memcpy(&p, at, sizeof p);
	return p;
}

static void set_ptr(char *at, void *p)
{
	memcpy(at, &p, sizeof p);
}

/* Appends one zeroed element of elem bytes to the array at arr (count *n, capacity
 * *cap). Returns it, or NULL with the array, count and capacity unchanged. */
static void *push(struct arena *a, char *arr, size_t elem, size_t *n, size_t *cap)
{
	void *old = get_ptr(arr);
	char *p = arena_grow(a, old, elem, cap, *n + 1);

	if (!p)
		return NULL;
	set_ptr(arr, p);
	p += (*n)++ * elem;
	memset(p, 0, elem);
	return p;
}

/* An object member by its first spelling, then its second; JSON null counts as absent. */
static const cJSON *member(const cJSON *obj, const char *name, const char *alt,
			   const char **found)
{
	const cJSON *v = name ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;

	*found = name;
	if ((!v || cJSON_IsNull(v)) && alt) {
		v = cJSON_GetObjectItemCaseSensitive(obj, alt);
		*found = alt;
	}
	return v && !cJSON_IsNull(v) ? v : NULL;
}

static int get_string(struct ld *l, const cJSON *v, char **out)
{
	if (!cJSON_IsString(v) || !v->valuestring)
		return type_error(l, "expected a string");
	*out = arena_strdup(&l->m->arena, v->valuestring);
	return *out ? 0 : oom(l);
}

static int get_whole(struct ld *l, const cJSON *v, long *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return type_error(l, "expected a number");
	d = v->valuedouble;
	if (!(d >= 0 && d <= MAX_EXACT_INT) || (double)(long)d != d)
		return type_error(l, "expected a whole number >= 0");
	*out = (long)d;
	return 0;
}

static int load_object(struct ld *l, const struct aws_schema *s, char *base, const cJSON *obj);

/* CustomerGatewayConfiguration: parsed into the model when it can be; when not, one
 * warning naming the place (the parser's messages never quote the document). */
static int parse_cgw(struct ld *l, const struct aws_field *f, char *base, const char *xml)
{
	struct aws_cgw_config *cfg = NULL;
	struct diag_error e = {0};
	char why[448], line[1024], **slot;
	struct aws_strs *w = &l->m->warnings;

	/* A dump read back: nothing was there to parse. */
	if (strcmp(xml, REDACTED) == 0)
		return 0;
	if (aws_cgw_config_parse(&l->m->arena, xml, strlen(xml), &cfg, &e) == 0 && cfg) {
		set_ptr(base + f->aux_off, cfg);
		return 0;
	}
	if (e.code == DIAG_EXIT_SOFTWARE)
		return oom(l);
	snprintf(line, sizeof line, "%s: %s: not parsed: %s", l->source, l->path.buf,
		 diag_error_text(&e, why, sizeof why));
	slot = push(&l->m->arena, (char *)&w->v, sizeof *w->v, &w->n, &w->cap);
	if (!slot || !(*slot = arena_strdup(&l->m->arena, line)))
		return oom(l);
	return 0;
}

static int load_string_field(struct ld *l, const struct aws_field *f, char *base,
			     const cJSON *v)
{
	char **dst = (char **)(base + f->off);
	char *s;

	if (f->kind == AWS_K_TARGET && *dst)
		return 0; /* an earlier target row was present */
	if (get_string(l, v, &s) < 0)
		return -1;
	*dst = s;
	if (f->kind == AWS_K_TARGET)
		*(const char **)(base + f->aux_off) = f->json;
	if (f->flags & AWS_F_CGW_XML)
		return parse_cgw(l, f, base, s);
	return 0;
}

/* One value of a list into the aws_strs or aws_ints of f. */
static int push_value(struct ld *l, const struct aws_field *f, char *base, const cJSON *val)
{
	struct arena *a = &l->m->arena;

	if (f->kind == AWS_K_VALUE_INTS) {
		struct aws_ints *s = (struct aws_ints *)(base + f->off);
		long v, *slot;

		if (get_whole(l, val, &v) < 0)
			return -1;
		if (!(slot = push(a, (char *)&s->v, sizeof *s->v, &s->n, &s->cap)))
			return oom(l);
		*slot = v;
	} else {
		struct aws_strs *s = (struct aws_strs *)(base + f->off);
		char *v, **slot;

		if (get_string(l, val, &v) < 0)
			return -1;
		if (!(slot = push(a, (char *)&s->v, sizeof *s->v, &s->n, &s->cap)))
			return oom(l);
		*slot = v;
	}
	return 0;
}

/* [{"Value": x}, ...] (or bare x), or [{ITEM: "x"}, ...] for AWS_K_FIELD_STRS. */
static int load_value_list(struct ld *l, const struct aws_field *f, char *base, const cJSON *v)
{
	const char *inner = f->kind == AWS_K_FIELD_STRS ? f->item_json : "Value";
	const cJSON *item;
	size_t i = 0;

	if (!cJSON_IsArray(v))
		return type_error(l, "expected a list");
	cJSON_ArrayForEach(item, v) {
		size_t at = path_index(&l->path, i++);
		const cJSON *val = item;

		if (cJSON_IsObject(item)) {
			path_key(&l->path, inner);
			val = cJSON_GetObjectItemCaseSensitive(item, inner);
			if (!val || cJSON_IsNull(val))
				return type_error(l, "missing");
		} else if (f->kind == AWS_K_FIELD_STRS) {
			return type_error(l, "expected an object");
		}
		if (push_value(l, f, base, val) < 0)
			return -1;
		path_pop(&l->path, at);
	}
	return 0;
}

static int load_list(struct ld *l, const struct aws_field *f, char *base, const cJSON *v)
{
	const struct aws_schema *sub = f->sub;
	const cJSON *item;
	size_t i = 0;

	if (!cJSON_IsArray(v))
		return type_error(l, "expected a list");
	cJSON_ArrayForEach(item, v) {
		size_t at = path_index(&l->path, i++);
		char *el;

		if (!cJSON_IsObject(item))
			return type_error(l, "expected an object");
		el = push(&l->m->arena, base + f->off, sub->size, (size_t *)(base + f->n_off),
			  (size_t *)(base + f->cap_off));
		if (!el)
			return oom(l);
		aws_schema_init(sub, el);
		if (load_object(l, sub, el, item) < 0)
			return -1;
		path_pop(&l->path, at);
	}
	return 0;
}

static int load_field(struct ld *l, const struct aws_field *f, char *base, const cJSON *v)
{
	switch (f->kind) {
	case AWS_K_STR:
	case AWS_K_SECRET:
	case AWS_K_TARGET:
		return load_string_field(l, f, base, v);
	case AWS_K_INT:
		return get_whole(l, v, (long *)(base + f->off));
	case AWS_K_BOOL:
		if (!cJSON_IsBool(v))
			return type_error(l, "expected true or false");
		*(long *)(base + f->off) = cJSON_IsTrue(v) ? 1 : 0;
		return 0;
	case AWS_K_VALUE_STRS:
	case AWS_K_VALUE_INTS:
	case AWS_K_FIELD_STRS:
		return load_value_list(l, f, base, v);
	case AWS_K_OBJECT:
		if (!cJSON_IsObject(v))
			return type_error(l, "expected an object");
		return load_object(l, f->sub, base + f->off, v);
	case AWS_K_LIST:
		return load_list(l, f, base, v);
	case AWS_K_PTR_OBJECT:
		return 0;
	}
	return 0;
}

static int load_object(struct ld *l, const struct aws_schema *s, char *base, const cJSON *obj)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct aws_field *f = &s->fields[i];
		const char *name;
		const cJSON *v;
		size_t at;

		if (f->flags & AWS_F_DUMP_ONLY)
			continue;
		if (!(v = member(obj, f->json, f->json_alt, &name)))
			continue;
		at = path_key(&l->path, name);
		if (load_field(l, f, base, v) < 0)
			return -1;
		path_pop(&l->path, at);
	}
	return 0;
}

/* Drops the element just loaded (the last of its array) when an earlier one has its id:
 * the same describe output given twice (--aws-dir holding a file also given with
 * --aws-file), or one object in two answers. The first copy is kept and a warning names
 * the place of the one ignored. Every array but the single documents (ActiveVpnTunnelStatus,
 * keyed by the request) starts its elements with their id. Returns 0 or -1 (memory). */
static int drop_duplicate(struct ld *l, const struct aws_doc *d)
{
	struct aws_model *m = l->m;
	size_t *n = (size_t *)((char *)m + d->n_off), size = d->schema->size;
	char *arr = get_ptr((char *)m + d->arr_off), *id, line[768], **slot;

	if (d->single || *n < 2 || !(id = get_ptr(arr + (*n - 1) * size)))
		return 0;
	for (size_t i = 0; i + 1 < *n; i++) {
		const char *other = get_ptr(arr + i * size);

		if (!other || strcmp(other, id) != 0)
			continue;
		(*n)--;
		snprintf(line, sizeof line, "%s: %s: %.128s is loaded already; this copy is ignored",
			 l->source, l->path.buf, id);
		slot = push(&m->arena, (char *)&m->warnings.v, sizeof *m->warnings.v,
			    &m->warnings.n, &m->warnings.cap);
		if (!slot || !(*slot = arena_strdup(&m->arena, line)))
			return oom(l);
		return 0;
	}
	return 0;
}

/* One element of a top-level document. ids: the object beside it holding the request's
 * ids (ActiveVpnTunnelStatus), or NULL. */
static int load_element(struct ld *l, const struct aws_doc *d, const cJSON *item,
			const cJSON *ids)
{
	struct aws_model *m = l->m;
	char *el;

	if (!cJSON_IsObject(item))
		return type_error(l, "expected an object");
	el = push(&m->arena, (char *)m + d->arr_off, d->schema->size,
		  (size_t *)((char *)m + d->n_off), (size_t *)((char *)m + d->cap_off));
	if (!el)
		return oom(l);
	aws_schema_init(d->schema, el);
	if (ids) {
		struct path saved = l->path;

		path_init(&l->path, "$");
		if (load_object(l, &aws_schema_active_status_ids, el, ids) < 0)
			return -1;
		l->path = saved;
	}
	if (load_object(l, d->schema, el, item) < 0)
		return -1;
	return drop_duplicate(l, d);
}

static int load_doc(struct ld *l, const struct aws_doc *d, const cJSON *v, const cJSON *root)
{
	const cJSON *item;
	size_t i = 0;

	if (d->single && cJSON_IsObject(v))
		return load_element(l, d, v, root);
	if (!cJSON_IsArray(v))
		return type_error(l, d->single ? "expected an object" : "expected a list");
	cJSON_ArrayForEach(item, v) {
		size_t at = path_index(&l->path, i++);

		if (load_element(l, d, item, NULL) < 0)
			return -1;
		path_pop(&l->path, at);
	}
	return 0;
}

/* The counts a failed load puts back. */
struct snapshot {
	size_t n[16];
	size_t sources, warnings;
};

static void take(const struct aws_model *m, struct snapshot *s)
{
	for (size_t i = 0; i < aws_n_docs && i < 16; i++)
		s->n[i] = *(const size_t *)((const char *)m + aws_docs[i].n_off);
	s->sources = m->sources.n;
	s->warnings = m->warnings.n;
}

static void restore(struct aws_model *m, const struct snapshot *s)
{
	for (size_t i = 0; i < aws_n_docs && i < 16; i++)
		*(size_t *)((char *)m + aws_docs[i].n_off) = s->n[i];
	m->sources.n = s->sources;
	m->warnings.n = s->warnings;
}

int aws_load_json_cjson(struct aws_model *m, const cJSON *root, const char *source,
			struct diag_error *err)
{
	struct ld l = {.m = m, .source = source ? source : "input", .err = err};
	struct snapshot snap;
	unsigned found = 0;
	char **slot;

	path_init(&l.path, "$");
	if (!cJSON_IsObject(root))
		return diag_fail(err, DIAG_EXIT_DATAERR, l.source,
				 "no known top-level key: the document is not an object (want %s)",
				 aws_doc_keys());
	take(m, &snap);
	for (size_t i = 0; i < aws_n_docs; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, aws_docs[i].json);

		if (!v || cJSON_IsNull(v))
			continue;
		found++;
		path_init(&l.path, "$");
		path_key(&l.path, aws_docs[i].json);
		if (load_doc(&l, &aws_docs[i], v, root) < 0)
			goto fail;
	}
	if (!found) {
		diag_fail(err, DIAG_EXIT_DATAERR, l.source, "no known top-level key (want %s)",
			  aws_doc_keys());
		goto fail;
	}
	slot = push(&m->arena, (char *)&m->sources.v, sizeof *m->sources.v, &m->sources.n,
		    &m->sources.cap);
	if (!slot || !(*slot = arena_strdup(&m->arena, l.source))) {
		path_init(&l.path, "$");
		oom(&l);
		goto fail;
	}
	return 0;
fail:
	restore(m, &snap);
	return -1;
}

/* Wipes the strings of node t and of everything below it (not its siblings). Constant
 * keys and references point at memory the tree does not own: left alone. */
static void wipe(cJSON *t)
{
	if (t->valuestring && !(t->type & cJSON_IsReference))
		OPENSSL_cleanse(t->valuestring, strlen(t->valuestring));
	if (t->string && !(t->type & cJSON_StringIsConst))
		OPENSSL_cleanse(t->string, strlen(t->string));
	if (t->type & cJSON_IsReference)
		return;
	for (cJSON *c = t->child; c; c = c->next)
		wipe(c);
}

void aws_json_free_wiped(cJSON *tree)
{
	if (!tree)
		return;
	wipe(tree);
	cJSON_Delete(tree);
}

/* ---- bytes, files, directories ------------------------------------------------------ */
static void line_col(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, c = 1;

	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int malformed(const char *buf, size_t off, const char *source, const char *why,
		     struct diag_error *err)
{
	size_t line, col;

	line_col(buf, off, &line, &col);
	return diag_fail(err, DIAG_EXIT_DATAERR, source,
			 "malformed JSON near byte %zu (line %zu, column %zu)%s", off, line, col,
			 why);
}

int aws_load_json(struct aws_model *m, const char *buf, size_t len, const char *source,
		  struct diag_error *err)
{
	const char *end = NULL;
	cJSON *root;
	size_t off;
	int rc;

	if (!source)
		source = "input";
	if (!buf)
		len = 0;
	/* cJSON spends some 64 bytes a value: a 64 MiB file of "{}," would become gigabytes
	 * before the loader saw it, and kill a debug pod. Count the containers first (an
	 * over-estimate: brackets inside strings count too) and refuse what no describe
	 * output holds. */
	size_t containers = 0;

	for (size_t i = 0; i < len; i++)
		containers += buf[i] == '{' || buf[i] == '[';
	if (containers > AWS_JSON_MAX_CONTAINERS)
		return diag_fail(err, DIAG_EXIT_DATAERR, source,
				 "%zu objects and lists, more than the %u an EC2 describe output "
				 "holds; split the input",
				 containers, AWS_JSON_MAX_CONTAINERS);
	root = cJSON_ParseWithLengthOpts(buf ? buf : "", len, &end, 0);
	off = end && end >= buf && (size_t)(end - buf) <= len ? (size_t)(end - buf) : len;
	if (!root)
		return malformed(buf, off, source, "", err);
	while (off < len && strchr(" \t\r\n", buf[off]) && buf[off])
		off++;
	if (off < len) {
		aws_json_free_wiped(root);
		return malformed(buf, off, source, ": text after the document", err);
	}
	rc = aws_load_json_cjson(m, root, source, err);
	aws_json_free_wiped(root);
	return rc;
}

/* Frees a buffer that may hold a pre-shared key. */
static void free_wiped(char *p, size_t cap)
{
	if (p) {
		OPENSSL_cleanse(p, cap);
		free(p);
	}
}

/* Reads fp to its end, at most max bytes. Growth copies into a new buffer and wipes the
 * old one, so no stray copy of a key is left in freed memory. Returns 0, 1 when the
 * input is longer than max, -1 (errno set) on a read error or out of memory. */
static int read_all(FILE *fp, size_t max, char **out, size_t *len, size_t *cap_out)
{
	size_t cap = 0, n = 0, got;
	char *buf = NULL;
	struct stat st;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= max)
		cap = (size_t)st.st_size + 1;
	for (;;) {
		if (n == cap || !buf) {
			size_t ncap = !buf && cap ? cap : cap ? cap * 2 : 65536;
			char *nb;

			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= n) {
				free_wiped(buf, cap);
				return 1;
			}
			if (!(nb = malloc(ncap))) {
				free_wiped(buf, cap);
				errno = ENOMEM;
				return -1;
			}
			if (n)
				memcpy(nb, buf, n);
			free_wiped(buf, cap);
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n > max) {
			free_wiped(buf, cap);
			return 1;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno ? errno : EIO;

		free_wiped(buf, cap);
		errno = e;
		return -1;
	}
	*out = buf;
	*len = n;
	*cap_out = cap;
	return 0;
}

int aws_load_file(struct aws_model *m, const char *path, struct diag_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (!fp)
		return diag_fail(err, DIAG_EXIT_NOINPUT, name, "%s", strerror(errno));
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(fp);
		return diag_fail(err, DIAG_EXIT_NOINPUT, name, "%s", strerror(EISDIR));
	}
	errno = 0;
	rc = read_all(fp, AWS_JSON_MAX_FILE, &buf, &len, &cap);
	if (rc < 0) {
		int e = errno;

		if (!is_stdin)
			fclose(fp);
		return diag_fail(err, e == ENOMEM ? DIAG_EXIT_SOFTWARE : DIAG_EXIT_NOINPUT, name,
				 "%s", strerror(e));
	}
	if (!is_stdin)
		fclose(fp);
	if (rc > 0)
		return diag_fail(err, DIAG_EXIT_DATAERR, name, "larger than %zu MiB",
				 AWS_JSON_MAX_FILE >> 20);
	if (len == 0) {
		free_wiped(buf, cap);
		return diag_fail(err, DIAG_EXIT_DATAERR, name, "empty file");
	}
	rc = aws_load_json(m, buf, len, name, err);
	free_wiped(buf, cap);
	return rc;
}

static int is_json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Byte order, not the locale's: the same order on every machine. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int aws_load_dir(struct aws_model *m, const char *dir, struct diag_error *err)
{
	struct dirent **names = NULL;
	size_t dl = strlen(dir);
	int n = scandir(dir, &names, is_json_name, by_name), rc = 0;

	if (n < 0)
		return diag_fail(err, DIAG_EXIT_NOINPUT, dir, "%s", strerror(errno));
	if (n == 0) {
		free(names);
		return diag_fail(err, DIAG_EXIT_NOINPUT, dir, "no *.json file");
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		if (rc == 0) {
			if (snprintf(path, sizeof path, "%s%s%s", dir,
				     dl && dir[dl - 1] == '/' ? "" : "/",
				     names[i]->d_name) >= (int)sizeof path)
				rc = diag_fail(err, DIAG_EXIT_NOINPUT, dir, "%s: path too long",
					       names[i]->d_name);
			else
				rc = aws_load_file(m, path, err);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- EC2 XML answers (as xml_to_tree builds them) to the AWS CLI's JSON ------------- */
struct cv {
	const char *action;
	struct diag_error *err;
	struct path path;
};

static int cv_error(struct cv *c, const char *what)
{
	return diag_fail(c->err, DIAG_EXIT_DATAERR, c->action, "%s: %s", c->path.buf, what);
}

static int cv_oom(struct cv *c)
{
	return diag_fail(c->err, DIAG_EXIT_SOFTWARE, c->action, "%s: out of memory", c->path.buf);
}

/* A list element as xml_to_tree gives it: an array of <item>s, or "" / [] when empty.
 * Returns the number of items (0 for an empty element), or -1 when v is no list. */
static int list_len(const cJSON *v)
{
	if (cJSON_IsArray(v))
		return cJSON_GetArraySize(v);
	if (cJSON_IsString(v) && v->valuestring && !v->valuestring[0])
		return 0;
	return -1;
}

/* Decimal digits only, as EC2 writes numbers, up to 2^53. Returns 0 or -1. */
static int xml_whole(const char *s, double *out)
{
	double v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > MAX_EXACT_INT)
			return -1;
	}
	*out = v;
	return 0;
}

static cJSON *conv_object(struct cv *c, const struct aws_schema *s, const cJSON *x);

/* Adds one converted scalar (text, number or boolean by kind) to out under name. */
static int conv_scalar(struct cv *c, enum aws_kind kind, const cJSON *x, cJSON *out,
		       const char *name)
{
	cJSON *v;

	if (!cJSON_IsString(x) || !x->valuestring)
		return cv_error(c, "expected text");
	if (kind == AWS_K_INT || kind == AWS_K_VALUE_INTS) {
		double d;

		if (xml_whole(x->valuestring, &d) < 0)
			return cv_error(c, "expected a whole number");
		v = cJSON_CreateNumber(d);
	} else if (kind == AWS_K_BOOL) {
		if (strcmp(x->valuestring, "true") == 0)
			v = cJSON_CreateTrue();
		else if (strcmp(x->valuestring, "false") == 0)
			v = cJSON_CreateFalse();
		else
			return cv_error(c, "expected true or false");
	} else {
		v = cJSON_CreateString(x->valuestring);
	}
	if (!v)
		return cv_oom(c);
	if (!cJSON_AddItemToObject(out, name, v)) {
		cJSON_Delete(v);
		return cv_oom(c);
	}
	return 0;
}

/* <xSet><item><value>AES128</value></item>...</xSet> -> [{"Value": "AES128"}, ...], and
 * the one-member items of AWS_K_FIELD_STRS the same way. */
static int conv_value_list(struct cv *c, const struct aws_field *f, const cJSON *x, cJSON *out)
{
	const char *ix = f->kind == AWS_K_FIELD_STRS ? f->item_xml : "value";
	const char *ij = f->kind == AWS_K_FIELD_STRS ? f->item_json : "Value";
	int n = list_len(x);
	cJSON *arr;

	if (n < 0)
		return cv_error(c, "expected a list of <item>");
	if (!(arr = cJSON_AddArrayToObject(out, f->json)))
		return cv_oom(c);
	for (int i = 0; i < n; i++) {
		const cJSON *item = cJSON_GetArrayItem(x, i);
		size_t at = path_index(&c->path, (size_t)i), at2;
		const cJSON *val;
		cJSON *obj;

		if (!cJSON_IsObject(item))
			return cv_error(c, "expected an element");
		at2 = path_key(&c->path, ix);
		if (!(val = cJSON_GetObjectItemCaseSensitive(item, ix)))
			return cv_error(c, "missing");
		if (!(obj = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, obj)) {
			cJSON_Delete(obj);
			return cv_oom(c);
		}
		if (conv_scalar(c, f->kind == AWS_K_VALUE_INTS ? AWS_K_INT : AWS_K_STR, val, obj,
				ij) < 0)
			return -1;
		path_pop(&c->path, at2);
		path_pop(&c->path, at);
	}
	return 0;
}

static int conv_list(struct cv *c, const struct aws_field *f, const cJSON *x, cJSON *out)
{
	int n = list_len(x);
	cJSON *arr;

	if (n < 0)
		return cv_error(c, "expected a list of <item>");
	if (!(arr = cJSON_AddArrayToObject(out, f->json)))
		return cv_oom(c);
	for (int i = 0; i < n; i++) {
		const cJSON *item = cJSON_GetArrayItem(x, i);
		size_t at = path_index(&c->path, (size_t)i);
		cJSON *obj;

		if (!cJSON_IsObject(item) && list_len(item) != 0)
			return cv_error(c, "expected an element");
		if (!(obj = conv_object(c, f->sub, item)))
			return -1;
		cJSON_AddItemToArray(arr, obj);
		path_pop(&c->path, at);
	}
	return 0;
}

static int conv_field(struct cv *c, const struct aws_field *f, const cJSON *x, cJSON *out)
{
	cJSON *obj;

	switch (f->kind) {
	case AWS_K_STR:
	case AWS_K_SECRET:
	case AWS_K_TARGET:
	case AWS_K_INT:
	case AWS_K_BOOL:
		return conv_scalar(c, f->kind, x, out, f->json);
	case AWS_K_VALUE_STRS:
	case AWS_K_VALUE_INTS:
	case AWS_K_FIELD_STRS:
		return conv_value_list(c, f, x, out);
	case AWS_K_OBJECT:
		if (!cJSON_IsObject(x) && list_len(x) != 0)
			return cv_error(c, "expected an element");
		if (!(obj = conv_object(c, f->sub, x)))
			return -1;
		if (!cJSON_AddItemToObject(out, f->json, obj)) {
			cJSON_Delete(obj);
			return cv_oom(c);
		}
		return 0;
	case AWS_K_LIST:
		return conv_list(c, f, x, out);
	case AWS_K_PTR_OBJECT:
		return 0;
	}
	return 0;
}

/* x: an element's object (or "" / [] for an empty one). Returns a new JSON object, or
 * NULL with c->err filled. */
static cJSON *conv_object(struct cv *c, const struct aws_schema *s, const cJSON *x)
{
	cJSON *out = cJSON_CreateObject();

	if (!out) {
		cv_oom(c);
		return NULL;
	}
	for (size_t i = 0; cJSON_IsObject(x) && i < s->n_fields; i++) {
		const struct aws_field *f = &s->fields[i];
		const cJSON *v;
		size_t at;

		if (!f->xml || (f->flags & AWS_F_DUMP_ONLY) ||
		    !(v = cJSON_GetObjectItemCaseSensitive(x, f->xml)))
			continue;
		at = path_key(&c->path, f->xml);
		if (conv_field(c, f, v, out) < 0) {
			aws_json_free_wiped(out);
			return NULL;
		}
		path_pop(&c->path, at);
	}
	return out;
}

/* The answer's body: the root's single "...Response" member, or the tree itself. */
static const cJSON *answer_body(const cJSON *x)
{
	const cJSON *only = x->child;
	size_t n;

	if (!only || only->next || !cJSON_IsObject(only) || !only->string)
		return x;
	n = strlen(only->string);
	for (size_t i = 0; i < aws_n_docs; i++)
		if (strcmp(only->string, aws_docs[i].xml) == 0)
			return x;
	return n > 8 && strcmp(only->string + n - 8, "Response") == 0 ? only : x;
}

static int conv_doc(struct cv *c, const struct aws_doc *d, const cJSON *v, cJSON *out)
{
	int n;
	cJSON *arr, *obj;

	if (d->single && (cJSON_IsObject(v) || list_len(v) == 0)) {
		if (!(obj = conv_object(c, d->schema, v)))
			return -1;
		if (!cJSON_AddItemToObject(out, d->json, obj)) {
			cJSON_Delete(obj);
			return cv_oom(c);
		}
		return 0;
	}
	if ((n = list_len(v)) < 0)
		return cv_error(c, "expected a list of <item>");
	if (!(arr = cJSON_AddArrayToObject(out, d->json)))
		return cv_oom(c);
	for (int i = 0; i < n; i++) {
		const cJSON *item = cJSON_GetArrayItem(v, i);
		size_t at = path_index(&c->path, (size_t)i);

		if (!cJSON_IsObject(item) && list_len(item) != 0)
			return cv_error(c, "expected an element");
		if (!(obj = conv_object(c, d->schema, item)))
			return -1;
		cJSON_AddItemToArray(arr, obj);
		path_pop(&c->path, at);
	}
	return 0;
}

cJSON *aws_xml_tree_to_json(const cJSON *xml_tree, const char *action, struct diag_error *err)
{
	struct cv c = {.action = action ? action : "ec2", .err = err};
	const cJSON *body, *token;
	unsigned found = 0;
	cJSON *out;

	path_init(&c.path, "");
	if (!cJSON_IsObject(xml_tree)) {
		diag_fail(err, DIAG_EXIT_DATAERR, c.action,
			  "the answer is not an XML element tree");
		return NULL;
	}
	body = answer_body(xml_tree);
	if (!(out = cJSON_CreateObject())) {
		cv_oom(&c);
		return NULL;
	}
	for (size_t i = 0; i < aws_n_docs; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, aws_docs[i].xml);

		if (!v)
			continue;
		found++;
		path_init(&c.path, aws_docs[i].xml);
		if (conv_doc(&c, &aws_docs[i], v, out) < 0) {
			aws_json_free_wiped(out);
			return NULL;
		}
	}
	if (!found) {
		aws_json_free_wiped(out);
		diag_fail(err, DIAG_EXIT_DATAERR, c.action,
			  "no known element in the answer (want vpnConnectionSet, vpnGatewaySet, "
			  "customerGatewaySet, routeTableSet, subnetSet, vpcSet or "
			  "activeVpnTunnelStatus)");
		return NULL;
	}
	token = cJSON_GetObjectItemCaseSensitive(body, "nextToken");
	if (cJSON_IsString(token) && token->valuestring && token->valuestring[0] &&
	    !cJSON_AddStringToObject(out, "NextToken", token->valuestring)) {
		aws_json_free_wiped(out);
		path_init(&c.path, "nextToken");
		cv_oom(&c);
		return NULL;
	}
	return out;
}
