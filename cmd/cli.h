/* Command-line plumbing shared by the front ends: one options table per tool drives
 * parsing and --help; numbers go through one checked parser whose message names the
 * option and echoes the value ("vpn-probe: -w 0x: invalid timeout"). */
#ifndef CMD_CLI_H
#define CMD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cli_opt {
	int id;               /* passed to the handler; a short option's id is its letter */
	char short_name;      /* 0: long only */
	const char *long_name; /* NULL: short only */
	const char *arg;      /* argument name, or NULL for a flag */
	const char *help;     /* NULL: hidden from --help (test flags) */
};

/* Returns 0, or an exit status (64) after printing the handler's or getopt's complaint. */
typedef int (*cli_handler)(void *ctx, int id, const char *arg);

/* Parses options (GNU-style permutation: options may follow operands); *first_operand is
 * set to the index of the first operand. Returns 0 or an exit status. */
int cli_parse(const char *tool, const struct cli_opt *table, int argc, char **argv,
	      cli_handler handle, void *ctx, int *first_operand);
void cli_usage(FILE *fp, const char *tool, const char *synopsis, const struct cli_opt *table);

/* "tool: fmt" on stderr; returns 64 (usage). */
int cli_usage_error(const char *tool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a decimal number in [min, max]; on failure prints "tool: FLAG VALUE: invalid WHAT"
 * and returns 64. */
int cli_number(const char *tool, const char *flag, const char *val, double min, double max,
	       const char *what, double *out);
/* As cli_number, for whole numbers only ("1.5" is refused, not truncated). */
int cli_integer(const char *tool, const char *flag, const char *val, double min, double max,
		const char *what, uint64_t *out);
/* The name an option is shown by in messages: "-w" or "--rate". */
const char *cli_flag_name(const struct cli_opt *table, int id, char buf[64]);

/* Colour and progress only on a terminal, and never with NO_COLOR set. */
bool cli_use_color(FILE *fp);

/* Prints rep to stdout as JSON, Markdown or text (colour when stdout is a terminal and
 * NO_COLOR is unset) and returns the report's exit status; DIAG_EXIT_SOFTWARE when memory
 * ran out, DIAG_EXIT_OSERR when stdout could not be written (each with a one-line error).
 * Does not free rep. */
struct report;
int cli_print_report(const char *tool, const struct report *rep, bool json, bool markdown);

#endif
