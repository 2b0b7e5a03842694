/* UTF-8 for what we print: JSON must be UTF-8 (RFC 8259 section 8.1) and Markdown
 * renderers reject or mangle anything else, but names in device configurations, log lines
 * and packets are whatever bytes the customer's device wrote. A byte that does not belong
 * to a well-formed sequence (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) is written as the four characters "\xNN", as the text renderer writes control
 * characters, so a support engineer still sees which byte it was. */
#ifndef LIBDIAG_UTF8_H
#define LIBDIAG_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The length (1 to 4) of the well-formed UTF-8 sequence at p, of which n bytes are
 * readable; 0 when the bytes there are not one. */
size_t utf8_seq_len(const unsigned char *p, size_t n);

/* Is every byte of s (NUL-terminated) part of a well-formed sequence? */
bool utf8_valid(const char *s);

/* A copy of s with every byte outside a well-formed sequence written as "\xNN"; malloc'd,
 * NULL when memory runs out. */
char *utf8_escape_invalid(const char *s);

/* Repairs every string value and object key in the tree, in place, as
 * utf8_escape_invalid does. Returns 0, or -1 when memory ran out (the tree is then
 * partly repaired and must not be printed). */
int json_utf8_repair(cJSON *tree);

/* json_utf8_repair, then cJSON_Print (formatted) or cJSON_PrintUnformatted. Every JSON the
 * tools write goes through here. Returns the text (free with cJSON_free), or NULL when
 * memory ran out. */
char *json_print_utf8(cJSON *tree, bool formatted);

#endif
