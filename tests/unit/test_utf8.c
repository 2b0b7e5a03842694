/* UTF-8 for JSON and Markdown output (libdiag/utf8.h): RFC 3629's well-formed sequences
 * pass, and each byte outside one (stray continuation bytes, C0/C1 and F5-FF lead bytes,
 * overlong forms, UTF-16 surrogates, code points above U+10FFFF, sequences cut short by
 * the end or by another lead byte) becomes "\xNN"; a JSON tree is repaired in keys and
 * values at every depth, then parses back; memory running out is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/utf8.h"

static const struct {
	const char *in, *out;
	size_t first_len; /* utf8_seq_len at the first byte */
} cases[] = {
	{"plain ASCII", "plain ASCII", 1},
	{"caf\xc3\xa9", "caf\xc3\xa9", 1},
	{"\xc3\xa9", "\xc3\xa9", 2},
	{"\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", 3},
	{"\xf0\x9f\x99\x82", "\xf0\x9f\x99\x82", 4},
	{"\xef\xbf\xbf", "\xef\xbf\xbf", 3},         /* U+FFFF: a noncharacter, still UTF-8 */
	{"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 4}, /* U+10FFFF, the last */
	{"\xff", "\\xff", 0},
	{"\x80", "\\x80", 0},
	{"\xc0\x80", "\\xc0\\x80", 0},               /* overlong NUL */
	{"\xc1\xbf", "\\xc1\\xbf", 0},
	{"\xe0\x80\xaf", "\\xe0\\x80\\xaf", 0},      /* overlong '/' */
	{"\xed\xa0\x80", "\\xed\\xa0\\x80", 0},      /* surrogate U+D800 */
	{"\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", 0},
	{"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", 0}, /* U+110000 */
	{"\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80", 0},
	{"\xe6\x97", "\\xe6\\x97", 0},                /* cut short by the end */
	{"\xe6\x97" "A", "\\xe6\\x97A", 0},           /* cut short by ASCII */
	{"\xc3\xc3\xa9", "\\xc3\xc3\xa9", 0},         /* cut short by another lead byte */
	{"aws\xff\xfe-\xc3", "aws\\xff\\xfe-\\xc3", 1},
	{"", "", 0},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *out = utf8_escape_invalid(cases[i].in);
		size_t n = strlen(cases[i].in);

		assert_non_null(out);
		assert_string_equal(out, cases[i].out);
		assert_true(utf8_valid(out));
		assert_int_equal(utf8_valid(cases[i].in), strcmp(cases[i].in, cases[i].out) == 0);
		assert_int_equal(utf8_seq_len((const unsigned char *)cases[i].in, n),
				 cases[i].first_len);
		free(out);
	}
}

static void test_seq_len_respects_n(void **state)
{
	const unsigned char four[] = {0xf0, 0x9f, 0x99, 0x82};

	(void)state;
	assert_int_equal(utf8_seq_len(four, 4), 4);
	assert_int_equal(utf8_seq_len(four, 3), 0);
	assert_int_equal(utf8_seq_len(four, 0), 0);
}

static void test_json_tree(void **state)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray(), *inner = cJSON_CreateObject();
	char *printed;
	cJSON *back;

	(void)state;
	cJSON_AddStringToObject(root, "name", "peer \xff");
	cJSON_AddStringToObject(root, "key \xfe", "ok \xc3\xa9");
	cJSON_AddItemToObject(root, "list", arr);
	cJSON_AddItemToArray(arr, cJSON_CreateString("\xed\xa0\x80"));
	cJSON_AddItemToArray(arr, inner);
	cJSON_AddStringToObject(inner, "deep", "\xc0\xaf");
	cJSON_AddNumberToObject(inner, "n", 1);
	printed = json_print_utf8(root, false);
	assert_non_null(printed);
	assert_true(utf8_valid(printed));
	assert_string_equal(printed, "{\"name\":\"peer \\\\xff\",\"key \\\\xfe\":\"ok \xc3\xa9\","
				     "\"list\":[\"\\\\xed\\\\xa0\\\\x80\",{\"deep\":\"\\\\xc0\\\\xaf\","
				     "\"n\":1}]}");
	back = cJSON_Parse(printed);
	assert_non_null(back);
	assert_string_equal(cJSON_GetObjectItem(back, "name")->valuestring, "peer \\xff");
	cJSON_Delete(back);
	cJSON_free(printed);
	cJSON_Delete(root);
	assert_int_equal(json_utf8_repair(NULL), 0);
}

/* cJSON's allocator that fails once armed */
static int fail_after = -1;
static void *limited_malloc(size_t n)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	return malloc(n);
}

static void test_out_of_memory(void **state)
{
	cJSON_Hooks hooks = {limited_malloc, free};
	cJSON *root;

	(void)state;
	cJSON_InitHooks(&hooks);
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "a", "\xff");
	fail_after = 0;
	assert_int_equal(json_utf8_repair(root), -1);
	assert_null(json_print_utf8(root, true));
	fail_after = -1;
	assert_int_equal(json_utf8_repair(root), 0);
	assert_string_equal(cJSON_GetObjectItem(root, "a")->valuestring, "\\xff");
	cJSON_Delete(root);
	cJSON_InitHooks(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_seq_len_respects_n),
		cmocka_unit_test(test_json_tree),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
