/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running the CVM image builder (OnPremPackager's build_image_cmd):
 * up to N builds at once, each in its own process group so a timeout or
 * an interrupt can stop the whole build, with its output streamed,
 * logged and scanned for the bundle it produced.
 */
#include "prov_int.h"
#include "ccprov/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

/* Lines of output shown when a build fails. */
#define TAIL_LINES 20
/* Output kept in memory for that tail. */
#define TAIL_KEEP 65536

typedef struct runner {
	ccp_prov_image_job *job;
	pid_t pid;
	int fd[2];          /* stdout, stderr; -1 once closed */
	int log_fd;
	double deadline;
	ccp_buf partial[2]; /* incomplete last line per stream */
	ccp_buf tail;
	char *bundle;
	int running;
	int timed_out;
	ccp_prov_watch *watch;
	double started;     /* when the build started */
	double last_out;    /* when it last wrote anything */
	double last_beat;   /* when its last heartbeat line was shown */
} runner;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* ---- telling the user the builds are alive ---- */

static void watch_clear(ccp_prov_watch *w)
{
	if (w && w->out && w->shown) {
		fputs("\r\033[K", w->out);
		w->shown = 0;
	}
}

static void watch_line(ccp_prov_watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void watch_line(ccp_prov_watch *w, const char *fmt, ...)
{
	va_list ap;

	if (!w || !w->out)
		return;
	watch_clear(w);
	fprintf(w->out, "[%6.1fs] ", now_s() - w->t0);
	va_start(ap, fmt);
	ccp_report_vprint_safe(w->out, fmt, ap);   /* names, paths */
	va_end(ap);
	fputc('\n', w->out);
	fflush(w->out);
}

/* Once a poll round: on a terminal, redraw the status line each second;
 * elsewhere, a line for each builder silent for w->every seconds, so a
 * CI log shows the run is alive while an image builder says nothing. */
static void watch_tick(ccp_prov_watch *w, runner *rs, size_t n, double now)
{
	size_t i;

	if (!w || !w->out)
		return;
	if (w->live) {
		size_t busy = 0;

		for (i = 0; i < n; i++)
			busy += (size_t)rs[i].running;
		if (!busy || (w->shown && now - w->drawn < 1.0))
			return;
		fprintf(w->out, "\r\033[K[%6.1fs] building images:", now - w->t0);
		for (i = 0; i < n; i++)
			if (rs[i].running)
				fprintf(w->out, " %s (%.0f s)", rs[i].job->site,
					now - rs[i].started);
		fflush(w->out);
		w->shown = 1;
		w->drawn = now;
		return;
	}
	for (i = 0; i < n; i++) {
		runner *r = &rs[i];
		double quiet_since = r->last_out > r->last_beat ? r->last_out : r->last_beat;

		if (!r->running || now - quiet_since < (double)w->every)
			continue;
		watch_line(w, "image build of %s still running after %.0f s "
			   "(no output for %.0f s)", r->job->site, now - r->started,
			   now - r->last_out);
		r->last_beat = now;
	}
}

/* Environment of the child: ours plus the site and kit it builds. */
static char **child_env(const ccp_prov_image_job *job)
{
	size_t n = 0, i, k = 0;
	char **env;
	ccp_buf b = CCP_BUF_INIT;

	while (environ && environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "CCPROV_SITE_NAME=", 17) != 0 &&
		    strncmp(environ[i], "CCPROV_KIT_DIR=", 15) != 0)
			env[k++] = environ[i];
	ccp_buf_printf(&b, "CCPROV_SITE_NAME=%s", job->site);
	env[k++] = ccp_buf_detach(&b);
	ccp_buf_printf(&b, "CCPROV_KIT_DIR=%s", job->kit_dir);
	env[k++] = ccp_buf_detach(&b);
	if (!env[k - 1] || !env[k - 2]) {
		free(env[k - 1]);
		free(env[k - 2]);
		free(env);
		return NULL;
	}
	return env;
}

static void free_env(char **env)
{
	size_t n = 0;

	if (!env)
		return;
	while (env[n])
		n++;
	/* The last two are ours; the rest belong to environ. */
	if (n >= 2) {
		free(env[n - 1]);
		free(env[n - 2]);
	}
	free(env);
}

static int start(runner *r, const char *cmd, int timeout_s, ccp_error *err)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	char **env = child_env(r->job);
	char *argv[3];
	pid_t pid;
	int rc = 0, i;

	if (!env)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	/* O_NONBLOCK: a FIFO put there must fail the open, not hang it. */
	r->log_fd = open(r->job->log_path, O_WRONLY | O_CREAT | O_TRUNC |
			 O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	if (r->log_fd < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot create log '%s': %s",
				   r->job->log_path, strerror(errno));
		goto cleanup;
	}
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot create a pipe: %s",
				   strerror(errno));
		goto cleanup;
	}
	argv[0] = (char *)cmd;
	argv[1] = (char *)r->job->cc_config;
	argv[2] = NULL;
	pid = fork();
	if (pid < 0) {
		rc = ccp_error_set(err, CCP_EIO, "cannot start '%s': %s", cmd,
				   strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		/* Child: own process group (killed as a whole), no terminal
		 * input, default signal handling, dies with us. */
		int devnull = open("/dev/null", O_RDONLY);
		sigset_t none;

		setpgid(0, 0);
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		execve(cmd, argv, env);
		{
			static const char msg[] = "cannot execute build_image_cmd\n";

			write_all(2, msg, sizeof(msg) - 1);
		}
		_exit(127);
	}
	setpgid(pid, pid); /* also from here: no window before the child's */
	r->pid = pid;
	r->running = 1;
	r->fd[0] = out[0];
	r->fd[1] = errp[0];
	out[0] = errp[0] = -1;
	for (i = 0; i < 2; i++)
		fcntl(r->fd[i], F_SETFL, fcntl(r->fd[i], F_GETFL) | O_NONBLOCK);
	r->deadline = now_s() + timeout_s;

cleanup:
	for (i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	free_env(env);
	return rc;
}

static void keep_tail(runner *r, const char *p, size_t n)
{
	ccp_buf_put(&r->tail, p, n);
	if (r->tail.len > 2 * (size_t)TAIL_KEEP) {
		size_t drop = r->tail.len - TAIL_KEEP;

		memmove(r->tail.data, r->tail.data + drop, TAIL_KEEP);
		r->tail.len = TAIL_KEEP;
		r->tail.data[r->tail.len] = '\0';
	}
}

/* One complete line of the builder: echo it and look for the bundle. */
static void on_line(runner *r, int stream, const char *line, size_t len,
		    FILE *echo)
{
	static const char head[] = "CVM Bundle ", foot[] = " is ready";
	const char *start;
	size_t rest;

	if (len && line[len - 1] == '\r')
		len--;
	if (echo) {
		watch_clear(r->watch);
		/* the builder's controls would move the cursor over the
		 * other sites' lines, or retitle the terminal */
		ccp_report_print_safe(echo, "[%s] %.*s\n", r->job->site, (int)len, line);
		fflush(echo);
	}
	if (stream != 0)
		return;
	start = memmem(line, len, head, sizeof(head) - 1);
	if (!start)
		return;
	start += sizeof(head) - 1;
	rest = len - (size_t)(start - line);
	if (rest > sizeof(foot) - 1 &&
	    memcmp(start + rest - (sizeof(foot) - 1), foot, sizeof(foot) - 1) == 0) {
		free(r->bundle);
		r->bundle = strndup(start, rest - (sizeof(foot) - 1));
	}
}

static void feed(runner *r, int stream, const char *p, size_t n, FILE *echo)
{
	ccp_buf *part = &r->partial[stream];
	size_t i, from = 0;

	r->last_out = now_s();
	write_all(r->log_fd, p, n);
	keep_tail(r, p, n);
	for (i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (part->len) {
			ccp_buf_put(part, p + from, i - from);
			on_line(r, stream, part->data, part->len, echo);
			ccp_buf_clear(part);
		} else {
			on_line(r, stream, p + from, i - from, echo);
		}
		from = i + 1;
	}
	/* Bounded: a builder printing megabytes without a newline is cut. */
	if (from < n && part->len < 65536)
		ccp_buf_put(part, p + from, n - from);
}

static void drain(runner *r, int stream, FILE *echo)
{
	char chunk[8192];

	for (;;) {
		ssize_t got = read(r->fd[stream], chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got > 0) {
			feed(r, stream, chunk, (size_t)got, echo);
			continue;
		}
		if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
			if (r->partial[stream].len) {
				on_line(r, stream, r->partial[stream].data,
					r->partial[stream].len, echo);
				ccp_buf_clear(&r->partial[stream]);
			}
			close(r->fd[stream]);
			r->fd[stream] = -1;
		}
		return;
	}
}

static char *tail_lines(const ccp_buf *b, int lines)
{
	const char *s = ccp_buf_cstr(b);
	size_t end = b->len, i;
	int seen = 0;

	while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
		end--;
	for (i = end; i > 0; i--)
		if (s[i - 1] == '\n' && ++seen == lines)
			break;
	return strndup(s + i, end - i);
}

static void kill_runner(runner *r)
{
	int st;

	if (!r->running)
		return;
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	r->running = 0;
}

/* The build ended: decide whether it succeeded and take its bundle. */
static int finish(runner *r, int status, ccp_error *err)
{
	ccp_prov_image_job *job = r->job;
	ccp_error e = { 0, "" };
	int rc;

	job->tail = tail_lines(&r->tail, TAIL_LINES);
	if (r->timed_out) {
		rc = ccp_error_set(&e, CCP_ETIMEOUT,
				   "image build for '%s' did not finish in time and was "
				   "stopped (see '%s')", job->site, job->log_path);
	} else if (WIFSIGNALED(status)) {
		rc = ccp_error_set(&e, CCP_EGENERIC,
				   "image build for '%s' was killed by signal %d (see '%s')",
				   job->site, WTERMSIG(status), job->log_path);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = ccp_error_set(&e, CCP_EGENERIC,
				   "image build for '%s' failed with exit status %d (see '%s')",
				   job->site, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				   job->log_path);
	} else if (!r->bundle || !*r->bundle) {
		rc = ccp_error_set(&e, CCP_EGENERIC,
				   "image build for '%s' succeeded but never printed "
				   "'CVM Bundle <path> is ready' (see '%s')", job->site,
				   job->log_path);
	} else {
		/* Copied and checked in full, then removed: a rename would
		 * keep the builder's mode and any other link to the keys. */
		rc = ccp_prov_take_bundle(r->bundle, job->bundle_dest, &e);
	}
	job->status = rc;
	snprintf(job->message, sizeof(job->message), "%s", rc ? e.message : "");
	if (rc < 0)
		ccp_error_set(err, rc, "%s", e.message);
	return rc;
}

static void runner_release(runner *r)
{
	int i;

	kill_runner(r);
	for (i = 0; i < 2; i++) {
		if (r->fd[i] >= 0)
			close(r->fd[i]);
		ccp_buf_release(&r->partial[i]);
	}
	if (r->log_fd >= 0)
		close(r->log_fd);
	ccp_buf_release(&r->tail);
	free(r->bundle);
}

/* The builds of one ccp_prov_run_images call. */
typedef struct pool {
	runner *rs;
	struct pollfd *pfd;
	ccp_prov_image_job *jobs;
	size_t n;
	size_t next; /* the next job to start */
	size_t running;
	const char *cmd;
	int parallel;
	int timeout_s;
	FILE *echo;
	ccp_prov_watch *watch;
} pool;

/* Start builds until `parallel` of them run or none is left to start. */
static int start_more(pool *pl, ccp_error *err)
{
	while (pl->running < (size_t)pl->parallel && pl->next < pl->n) {
		runner *r = &pl->rs[pl->next];
		int rc = start(r, pl->cmd, pl->timeout_s, err);

		if (rc < 0)
			return rc;
		r->started = r->last_out = r->last_beat = now_s();
		watch_line(pl->watch, "image build of %s started",
			   pl->jobs[pl->next].site);
		pl->next++;
		pl->running++;
	}
	return 0;
}

/* Wait until a build writes or its deadline comes, a second at most. */
static int wait_for_builds(pool *pl, ccp_error *err)
{
	double now = now_s(), wait_s = 1.0;
	nfds_t np = 0;
	int reaping = 0, s;
	size_t i;

	for (i = 0; i < pl->next; i++) {
		const runner *r = &pl->rs[i];

		if (!r->running)
			continue;
		for (s = 0; s < 2; s++)
			if (r->fd[s] >= 0) {
				pl->pfd[np].fd = r->fd[s];
				pl->pfd[np].events = POLLIN;
				pl->pfd[np].revents = 0;
				np++;
			}
		if (r->fd[0] < 0 && r->fd[1] < 0)
			reaping = 1;
		if (r->deadline - now < wait_s)
			wait_s = r->deadline - now;
	}
	/* A builder that closed its output but has not exited yet is
	 * checked again shortly (there is no fd to wait on). */
	if (reaping && wait_s > 0.05)
		wait_s = 0.05;
	if (wait_s < 0)
		wait_s = 0;
	if (poll(pl->pfd, np, (int)(wait_s * 1000) + 1) < 0 && errno != EINTR)
		return ccp_error_set(err, CCP_EIO, "poll failed: %s", strerror(errno));
	return 0;
}

/* Whether the build's leader exited, looked at without reaping it:
 * while the exited leader is a zombie its process group id cannot be
 * reused, so whatever it left running can be killed safely. */
static int has_exited(const runner *r)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	return waitid(P_PID, (id_t)r->pid, &info,
		      WEXITED | WNOHANG | WNOWAIT) >= 0 &&
	       info.si_pid == r->pid;
}

/* The leader exited: stop what it left running, reap it, take its last
 * output and decide whether the build succeeded. */
static int end_build(pool *pl, runner *r, ccp_error *err)
{
	int st = 0, s, rc;

	kill(-r->pid, SIGKILL);
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	/* Collect what is still buffered in the pipes; a process outside
	 * the group may hold them open, so read once and close. */
	for (s = 0; s < 2; s++) {
		if (r->fd[s] >= 0)
			drain(r, s, pl->echo);
		if (r->fd[s] >= 0) {
			close(r->fd[s]);
			r->fd[s] = -1;
		}
	}
	r->running = 0;
	pl->running--;
	rc = finish(r, st, err);
	watch_line(pl->watch, "image build of %s %s after %.1f s", r->job->site,
		   rc == 0 ? "done" : "failed", now_s() - r->started);
	return rc;
}

/* Read what the builds wrote, stop the late ones, end the exited ones. */
static int serve_builds(pool *pl, ccp_error *err)
{
	double now = now_s();
	size_t i;
	int rc = 0, s;

	for (i = 0; i < pl->next && rc == 0; i++) {
		runner *r = &pl->rs[i];

		if (!r->running)
			continue;
		for (s = 0; s < 2; s++)
			if (r->fd[s] >= 0)
				drain(r, s, pl->echo);
		if (now >= r->deadline) {
			r->timed_out = 1;
			kill(-r->pid, SIGKILL);
		}
		if (has_exited(r))
			rc = end_build(pl, r, err);
	}
	return rc;
}

int ccp_prov_run_images(ccp_prov_image_job *jobs, size_t n, const char *cmd,
			int parallel, int timeout_s, FILE *echo,
			ccp_prov_watch *watch, ccp_error *err)
{
	pool pl;
	size_t i;
	int rc = 0;

	memset(&pl, 0, sizeof(pl));
	pl.rs = calloc(n ? n : 1, sizeof(*pl.rs));
	pl.pfd = calloc(n ? 2 * n : 1, sizeof(*pl.pfd));
	if (!pl.rs || !pl.pfd) {
		free(pl.rs);
		free(pl.pfd);
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	}
	pl.jobs = jobs;
	pl.n = n;
	pl.cmd = cmd;
	pl.parallel = parallel < 1 ? 1 : parallel;
	pl.timeout_s = timeout_s;
	pl.echo = echo;
	pl.watch = watch;
	for (i = 0; i < n; i++) {
		pl.rs[i].job = &jobs[i];
		pl.rs[i].watch = watch;
		pl.rs[i].fd[0] = pl.rs[i].fd[1] = pl.rs[i].log_fd = -1;
		jobs[i].status = 0;
		jobs[i].tail = NULL;
	}

	while (rc == 0 && (pl.next < n || pl.running > 0)) {
		if (ccp_prov_cancelled()) {
			rc = ccp_error_set(err, CCP_EINTR,
					   "interrupted; image builds stopped");
			break;
		}
		rc = start_more(&pl, err);
		if (rc == 0)
			rc = wait_for_builds(&pl, err);
		if (rc == 0)
			rc = serve_builds(&pl, err);
		if (rc == 0)
			watch_tick(watch, pl.rs, pl.next, now_s());
	}
	watch_clear(watch);

	for (i = 0; i < n; i++) {
		if (rc < 0 && pl.rs[i].running && !jobs[i].tail) {
			kill_runner(&pl.rs[i]);
			jobs[i].tail = tail_lines(&pl.rs[i].tail, TAIL_LINES);
		}
		runner_release(&pl.rs[i]);
	}
	free(pl.rs);
	free(pl.pfd);
	return rc;
}
