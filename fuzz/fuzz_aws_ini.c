/* libFuzzer target for the INI parser of ~/.aws/config and ~/.aws/credentials
 * (aws_ini_parse). Checks its promises: an error is a DATAERR placed at "fuzz:LINE" with a
 * line that exists; every entry has a non-empty section and a non-empty lower-case key
 * without surrounding white space; values carry no surrounding white space; entries come
 * in non-decreasing line order; and a callback's stop value is returned as it is. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/aws/creds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

struct walk {
	unsigned last_line, max_line;
	unsigned n, stop_at;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int on_entry(void *ctx, const char *section, const char *key, const char *value,
		    unsigned line)
{
	struct walk *w = ctx;
	size_t kl = strlen(key), vl = strlen(value);

	check(section[0] != '\0' && !strchr(section, '\n'));
	check(kl > 0 && !is_space(key[0]) && !is_space(key[kl - 1]));
	for (size_t i = 0; i < kl; i++)
		check(!isupper((unsigned char)key[i]) && key[i] != '\n');
	check(vl == 0 || (!is_space(value[0]) && !is_space(value[vl - 1])));
	check(line >= 1 && line <= w->max_line && line >= w->last_line);
	w->last_line = line;
	return ++w->n == w->stop_at ? 42 : 0;
}

static unsigned count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

static void run(const uint8_t *data, size_t size, unsigned stop_at)
{
	struct walk w = {.max_line = count_lines(data, size), .stop_at = stop_at};
	struct diag_error err = {0};
	int rc = aws_ini_parse((const char *)data, size, "fuzz", on_entry, &w, &err);

	if (rc == 42) {
		check(stop_at != 0 && w.n == stop_at && err.code == 0);
		return;
	}
	check(rc == 0 || rc == -1);
	check((rc == -1) == (err.code != 0));
	if (rc == -1) {
		char *end;
		unsigned long line;

		check(err.code == DIAG_EXIT_DATAERR || err.code == DIAG_EXIT_SOFTWARE);
		if (err.code == DIAG_EXIT_DATAERR) {
			check(strncmp(err.where, "fuzz:", 5) == 0);
			line = strtoul(err.where + 5, &end, 10);
			check(*end == '\0' && line >= 1 && line <= w.max_line);
		}
	} else {
		check(stop_at == 0 || w.n < stop_at);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, 2);
	return 0;
}
