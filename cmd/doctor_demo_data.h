/* The demo scenario's files, compiled in (scripts/embed.sh makes the table). */
#ifndef CMD_DOCTOR_DEMO_DATA_H
#define CMD_DOCTOR_DEMO_DATA_H

#include <stddef.h>

struct demo_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

extern const struct demo_file demo_files[];
extern const size_t demo_nfiles;

#endif
