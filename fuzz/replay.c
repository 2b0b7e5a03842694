/* Runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs without libFuzzer, so any
 * compiler and every CI run replay the corpora. Arguments are files or directories (not
 * searched recursively). Prints "replay NAME: N inputs" and exits 0; a bad input crashes
 * (the target aborts on a broken promise), an unreadable path exits 1. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file; returns NULL (errno set) on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp)
		return NULL;
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(fp);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		int e = errno;

		free(buf);
		fclose(fp);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(fp);
	*size = len;
	return buf;
}

/* Runs one file; returns -1 when it cannot be read. */
static int run_file(const char *prog, const char *path)
{
	size_t size = 0;
	uint8_t *data = read_file(path, &size);

	if (!data) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	/* Hand the target an exact-size copy so ASan builds catch reads past the end. */
	uint8_t *exact = malloc(size ? size : 1);

	if (!exact) {
		free(data);
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(ENOMEM));
		return -1;
	}
	memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 0;
}

static int skip_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Runs every regular file of dir in name order; returns the count, or -1. */
static long run_dir(const char *prog, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, skip_entry, alphasort);
	long ran = 0;
	int bad = 0;

	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) >=
		    (int)sizeof path) {
			fprintf(stderr, "%s: %s/%s: path too long\n", prog, dir, names[i]->d_name);
			bad = 1;
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(prog, path) < 0)
				bad = 1;
			else
				ran++;
		}
		free(names[i]);
	}
	free(names);
	return bad ? -1 : ran;
}

int main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	long total = 0;
	int bad = 0;

	if (strncmp(prog, "replay_", 7) == 0)
		prog += 7;
	if (argc < 2) {
		fprintf(stderr, "usage: replay_%s FILE|DIR...\n", prog);
		return 64;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay %s: %s: %s\n", prog, argv[i], strerror(errno));
			bad = 1;
		} else if (S_ISDIR(st.st_mode)) {
			long n = run_dir(prog, argv[i]);

			if (n < 0)
				bad = 1;
			else
				total += n;
		} else if (run_file(prog, argv[i]) < 0) {
			bad = 1;
		} else {
			total++;
		}
	}
	printf("replay %s: %ld inputs\n", prog, total);
	return bad;
}
