/* The AWS evidence options the tools share (--aws-dir, --aws-file, --live and the flags
 * that go with it), their checks and the load into the AWS model, so every tool reads AWS
 * the same way and says the same things about it. */
#ifndef CMD_AWS_INPUT_H
#define CMD_AWS_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/aws/ec2_client.h"
#include "libdiag/aws/model.h"

enum aws_input_opt {
	AWS_IN_DIR, AWS_IN_FILE, AWS_IN_LIVE, AWS_IN_REGION, AWS_IN_PROFILE, AWS_IN_ENDPOINT,
	AWS_IN_CACERT, AWS_IN_COUNT,
};

/* The option table rows, ids base + enum aws_input_opt. */
#define AWS_INPUT_CLI_OPTS(base)                                                             \
	{(base) + AWS_IN_DIR, 0, "aws-dir", "DIR", "AWS evidence: every *.json in DIR "       \
						   "(repeatable)"},                           \
	{(base) + AWS_IN_FILE, 0, "aws-file", "FILE", "AWS evidence: one describe-* JSON "    \
						      "file, '-' for stdin (repeatable)"},    \
	{(base) + AWS_IN_LIVE, 0, "live", NULL, "AWS evidence read from EC2 itself"},         \
	{(base) + AWS_IN_REGION, 0, "region", "R", "with --live: the region"},                \
	{(base) + AWS_IN_PROFILE, 0, "profile", "P", "with --live: the profile"},             \
	{(base) + AWS_IN_ENDPOINT, 0, "endpoint-url", "URL", "with --live: another endpoint"}, \
	{(base) + AWS_IN_CACERT, 0, "cacert", "FILE", "with --live: CA bundle"}

struct aws_input_src {
	bool dir;
	const char *path;
};

struct aws_input {
	struct aws_input_src src[64];
	size_t n;
	bool live, stdin_used;
	struct aws_live_opts lo;
};

/* Handles one of the options (opt = id - base). Returns 0 or an exit status (64). */
int aws_input_option(struct aws_input *in, const char *tool, int opt, const char *arg);
/* Usage checks after parsing (--region without --live, ...). */
int aws_input_check(const struct aws_input *in, const char *tool);
bool aws_input_given(const struct aws_input *in);
/* Loads every source into m (initialised by the caller); warnings go to stderr. Returns 0
 * or an exit status with a one-line error printed. */
int aws_input_load(struct aws_model *m, const struct aws_input *in, const char *tool);

#endif
