#include "libdiag/aws/ec2_error.h"

#include <string.h>

#include "libdiag/xml.h"

/* Copies s into out[0..len) truncated at a UTF-8 boundary, C0 and C1 control characters
 * and DEL replaced by spaces (one per byte). */
static void put(char *out, size_t len, const char *s)
{
	size_t n = 0;

	if (!out || len == 0)
		return;
	if (s) {
		n = strlen(s);
		if (n > len - 1) {
			n = len - 1;
			/* Back up over continuation bytes to the start of a sequence. */
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(out, s, n);
	}
	out[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c == 0x7f) {
			out[i] = ' ';
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)out[i + 1] >= 0x80 &&
			   (unsigned char)out[i + 1] <= 0x9f) {
			/* U+0080..U+009F, the C1 controls (0x9b is a terminal's CSI) */
			out[i] = out[i + 1] = ' ';
			i++;
		}
	}
}

static const char *text(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int aws_ec2_error_parse(const char *buf, size_t len, char *code, size_t code_len,
			char *message, size_t msg_len, char *request_id, size_t rid_len)
{
	cJSON *tree;
	const cJSON *root, *error = NULL;
	const char *rid = NULL;

	put(code, code_len, NULL);
	put(message, msg_len, NULL);
	put(request_id, rid_len, NULL);
	tree = xml_to_tree(buf, len, "error", NULL);
	if (!tree)
		return -1;
	if ((root = cJSON_GetObjectItemCaseSensitive(tree, "Response")) != NULL) {
		const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "Errors");

		error = xml_list_first(cJSON_GetObjectItemCaseSensitive(errors, "Error"));
		rid = text(root, "RequestID");
		if (!rid)
			rid = text(root, "RequestId");
	} else if ((root = cJSON_GetObjectItemCaseSensitive(tree, "ErrorResponse")) != NULL) {
		error = xml_list_first(cJSON_GetObjectItemCaseSensitive(root, "Error"));
		rid = text(root, "RequestId");
	} else if ((root = cJSON_GetObjectItemCaseSensitive(tree, "Error")) != NULL) {
		error = root;
		rid = text(root, "RequestId");
	}
	if (!cJSON_IsObject(error)) {
		xml_tree_free(tree);
		return -1;
	}
	put(code, code_len, text(error, "Code"));
	put(message, msg_len, text(error, "Message"));
	put(request_id, rid_len, rid);
	xml_tree_free(tree);
	return 0;
}
