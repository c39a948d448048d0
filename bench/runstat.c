/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run commands N times each, taking turns, and print for each command
 * its median wall time, median CPU time (user + system, from wait4) and
 * largest peak RSS:
 *
 *   runstat N COMMAND [ARG...] [-- COMMAND [ARG...]]...
 *
 * prints one line "wall_ms cpu_ms max_rss_kb" per command, in order.
 * Taking turns pairs the runs: a burst of load on a shared machine
 * slows every command, not one of them. The commands' stdout and stderr
 * go to /dev/null; exit statuses are ignored (a linter exits 1 on
 * findings). A shell loop around `time` adds a fork and an exec per run,
 * which is most of what a 3 ms command costs; this measures the command
 * alone. Exits 1 when a run cannot start or is killed by a signal.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_COMMANDS 8
#define MAX_RUNS 100000

typedef struct command {
	char **argv;
	double *wall, *cpu;
	long max_rss;
} command;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static double ms_of(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

/* One run of c, recorded as run i; 0, or -1 when it cannot be measured. */
static int run_once(command *c, int i, const posix_spawn_file_actions_t *fa)
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int status, e;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, environ);
	if (e != 0) {
		fprintf(stderr, "runstat: cannot run '%s': %s\n", c->argv[0], strerror(e));
		return -1;
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runstat: wait4");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "runstat: '%s' killed by signal %d\n", c->argv[0],
			WTERMSIG(status));
		return -1;
	}
	c->wall[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	c->cpu[i] = ms_of(ru.ru_utime) + ms_of(ru.ru_stime);
	if (ru.ru_maxrss > c->max_rss)
		c->max_rss = ru.ru_maxrss;
	return 0;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	command cmds[MAX_COMMANDS];
	int n, ncmds = 0, i, j, rc = 0;

	if (argc < 3 || (n = atoi(argv[1])) < 1 || n > MAX_RUNS) {
		fprintf(stderr, "usage: runstat N COMMAND [ARG...] [-- COMMAND [ARG...]]...\n");
		return 2;
	}
	memset(cmds, 0, sizeof(cmds));
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;   /* ends the previous command's argv */
			continue;
		}
		if (i == 2 || argv[i - 1] == NULL) {
			if (ncmds == MAX_COMMANDS) {
				fprintf(stderr, "runstat: at most %d commands\n", MAX_COMMANDS);
				return 2;
			}
			cmds[ncmds].argv = argv + i;
			cmds[ncmds].wall = calloc((size_t)n, sizeof(double));
			cmds[ncmds].cpu = calloc((size_t)n, sizeof(double));
			if (!cmds[ncmds].wall || !cmds[ncmds].cpu) {
				fprintf(stderr, "runstat: out of memory\n");
				return 2;
			}
			ncmds++;
		}
	}
	if (!ncmds || posix_spawn_file_actions_init(&fa) != 0) {
		fprintf(stderr, "usage: runstat N COMMAND [ARG...] [-- COMMAND [ARG...]]...\n");
		return 2;
	}
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < n && rc == 0; i++)
		for (j = 0; j < ncmds && rc == 0; j++)
			if (run_once(&cmds[j], i, &fa) < 0)
				rc = 1;
	for (j = 0; j < ncmds; j++) {
		if (rc == 0)
			printf("%.3f %.3f %ld\n", median(cmds[j].wall, n),
			       median(cmds[j].cpu, n), cmds[j].max_rss);
		free(cmds[j].wall);
		free(cmds[j].cpu);
	}
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}
