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
/* --bundle in a run that will drop privileges (privdrop_will_drop): called while still
 * root, before the drop. Creates the bundle's temporary file beside OUT and reads what only
 * root may (the kernel's IPsec policies and SAs), then forks. The parent keeps root only
 * to publish the bundle: it waits, renames the temporary file over OUT when the child said
 * the bundle is complete (else removes it) and exits with the child's status; it parses
 * nothing. The child returns 0 and goes on to drop privileges and run; doctor_bundle then
 * writes into the file opened here. Returns 0 (in the child), or an exit status after a
 * one-line error (nothing forked). */
int doctor_bundle_prepare(const struct doctor_cmd *c, const char *tool);

#endif
