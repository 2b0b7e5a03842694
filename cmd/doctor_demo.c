/* vpn-doctor --demo: a customer gateway behind a NAT that translates it to 198.51.100.20
 * while AWS has 198.51.100.10 registered, and route propagation off on the cluster's
 * private route table. The scenario's files (the AWS evidence, the gateway's strongSwan
 * configuration, a capture of its unanswered IKE requests) are compiled in; they are
 * written to a private directory, read back through the same loaders as real inputs,
 * and removed. Nothing is sent: no probe, no echo service, no look at this machine's
 * routes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/doctor.h"
#include "cmd/doctor_demo_data.h"
#include "libdiag/exitcode.h"

static const char *const TOOL = "vpn-doctor";

static int write_all(const char *path, const unsigned char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

int doctor_demo(struct doctor_cmd *c)
{
	char dir[] = "/tmp/vpn-doctor-demo.XXXXXX";
	static char paths[8][sizeof dir + 32];
	int rc, cwd;

	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: --demo: %s\n", TOOL, strerror(errno));
		return DIAG_EXIT_OSERR;
	}
	/* inside the directory the files are named as in the scenario, so the report reads
	 * the same on every run and machine */
	/* Started as root in a directory only root may enter (/root), the run, now nobody,
	 * cannot open it: then it does not come back to it, which nothing after the run
	 * needs (a relative --bundle OUT is resolved through $PWD). */
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (chdir(dir) < 0) {
		fprintf(stderr, "%s: --demo: %s: %s\n", TOOL, dir, strerror(errno));
		if (cwd >= 0)
			close(cwd);
		rmdir(dir);
		return DIAG_EXIT_OSERR;
	}
	for (size_t i = 0; i < demo_nfiles && i < 8; i++) {
		snprintf(paths[i], sizeof paths[i], "%s", demo_files[i].name);
		if (write_all(paths[i], demo_files[i].data, demo_files[i].len) < 0) {
			fprintf(stderr, "%s: --demo: %s: %s\n", TOOL, paths[i], strerror(errno));
			rc = DIAG_EXIT_OSERR;
			goto out;
		}
		if (strcmp(demo_files[i].name, "aws.json") == 0) {
			c->aws.src[c->aws.n].dir = false;
			c->aws.src[c->aws.n++].path = paths[i];
		} else if (strcmp(demo_files[i].name, "swanctl.conf") == 0) {
			c->config = paths[i];
		} else if (strcmp(demo_files[i].name, "capture.pcap") == 0) {
			c->so.pcap_file = paths[i];
		}
	}
	/* what the support engineer learned from the customer's firewall */
	c->so.public_ip = "198.51.100.20";
	c->so.no_echo = true;
	c->so.no_ike = true;
	c->so.no_route = true;
	if (!isatty(STDOUT_FILENO) || c->json || c->markdown)
		; /* the banner would break a machine-readable report */
	else
		printf("vpn-doctor --demo: a customer gateway behind a NAT that translates it to "
		       "198.51.100.20 while AWS has 198.51.100.10 registered, and route "
		       "propagation off. Built-in files, nothing is sent.\n\n");
	rc = doctor_run(c);
out:
	for (size_t i = 0; i < demo_nfiles && i < 8; i++)
		unlink(paths[i]);
	if (cwd >= 0) {
		if (fchdir(cwd) < 0)
			fprintf(stderr, "%s: --demo: cannot return to the directory it started "
					"in\n", TOOL);
		close(cwd);
	}
	rmdir(dir);
	return rc;
}
