/* vpn-doctor's parts: the options it was given, the run, the demo, what it discovers on
 * its own, and the support bundle. */
#ifndef CMD_DOCTOR_H
#define CMD_DOCTOR_H

#include <stdbool.h>

#include "checks/check.h"
#include "cmd/aws_input.h"

#define DOCTOR_MAX_TARGETS 64
#define MAX_TARGETS DOCTOR_MAX_TARGETS

struct doctor_cmd {
	struct aws_input aws;
	struct srcip_opts so;
	struct routes_opts ro;
	struct mtu_opts mtu;
	char *remotes[DOCTOR_MAX_TARGETS];
	const char *targets[DOCTOR_MAX_TARGETS];
	size_t ntargets;
	const char *vpn_id, *config, *format, *logs, *bundle;
	char *only, *skip;
	unsigned timeout_s;
	bool json, markdown, demo, list, help, version;
};

/* Runs the checks and prints the report; returns the exit status. */
int doctor_run(struct doctor_cmd *c);
/* --demo: writes the built-in scenario's files to a private directory, points c at them
 * and runs. */
int doctor_demo(struct doctor_cmd *c);
/* No inputs at all (a pod): fills c with what the environment offers and says on stderr
 * what else would make the report fuller. */
void doctor_discover(struct doctor_cmd *c);
/* --bundle: the three renderings, the inputs (redacted) and the environment. Returns 0 or
 * an exit status after a one-line error. */
int doctor_bundle(const char *out, const char *text, const char *json, const char *md,
		  const struct doctor_cmd *c, const char *tool);

#endif
