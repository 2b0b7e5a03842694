/* Helpers shared by the unit tests: reading a whole file, and comparing output with a
 * golden file. The Makefile builds each tests/unit/test_*.c on its own, linking only
 * libdiag.a and cmocka, so the helpers live here as static functions; `inline` only keeps
 * a test that uses some of them free of unused-function warnings. Tests run from the
 * project root, where the testdata/ paths they pass are found. */
#ifndef TESTS_UNIT_TESTUTIL_H
#define TESTS_UNIT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The whole file as a malloc'd NUL-terminated string, its size in *len; NULL (and *len 0)
 * when it cannot be opened. A file that opens but cannot be read fails the test. */
static inline char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	*len = 0;
	if (!fp)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* read_file for a file the test needs: one that cannot be opened fails the test. */
static inline char *must_read_file(const char *path, size_t *len)
{
	char *buf = read_file(path, len);

	if (!buf)
		fail_msg("cannot open %s", path);
	return buf;
}

/* Compares got with the golden file dir/name (dir ends in '/'), or rewrites the file when
 * UPDATE_GOLDEN=1. A difference fails the test after printing both texts and where they
 * part. */
static inline void check_golden(const char *dir, const char *name, const char *got)
{
	char path[256], *want;
	const char *update = getenv("UPDATE_GOLDEN");
	size_t len = 0, i = 0, line = 1;

	snprintf(path, sizeof path, "%s%s", dir, name);
	if (update && strcmp(update, "1") == 0) {
		FILE *fp = fopen(path, "wb");

		if (!fp || fputs(got, fp) == EOF || fclose(fp) != 0)
			fail_msg("cannot write %s (run from the project root)", path);
		return;
	}
	want = read_file(path, &len);
	if (!want)
		fail_msg("golden file %s missing: run the tests from the project root, or "
			 "create it with UPDATE_GOLDEN=1", path);
	for (; i < len && got[i] && got[i] == want[i]; i++)
		line += want[i] == '\n';
	if (i != len || got[i] != '\0' || strlen(got) != len) {
		print_error("%s differs at byte %zu (line %zu)\n--- want\n%s\n--- got\n%s\n",
			    path, i, line, want, got);
		free(want);
		fail_msg("%s: output differs from the golden file (UPDATE_GOLDEN=1 rewrites it)",
			 path);
	}
	free(want);
}

#endif
