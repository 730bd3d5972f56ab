// SPDX-License-Identifier: GPL-2.0
/*
 * robust_bench - latency of process_mrelease() and of the OOM reaper for
 * victims holding process-shared robust mutexes. Runs in the test guest
 * (as root, cgroup2 at /sys/fs/cgroup, tracefs at /sys/kernel/tracing).
 *
 *   robust_bench mrelease THREADS RUNS
 *	fork a victim whose THREADS threads each hold one robust, process-
 *	shared mutex in MAP_SHARED memory; SIGKILL it through a pidfd and
 *	call process_mrelease() at once. Reports the call's duration, the
 *	time from the kill to the last mutex handed over (EOWNERDEAD) and
 *	the mutexes never handed over (hung).
 *
 *   robust_bench oom norobust|robust RUNS [THREADS [STALL_MS]]
 *	a victim in a memcg (memory.max 32M) overruns its limit while its
 *	other threads sit on CPU 0 at SCHED_IDLE, where a SCHED_FIFO thread
 *	of ours spins for STALL_MS from just before the kill. Reports the
 *	time from the kill (mark_victim) to start_task_reaping and to
 *	memory.current dropping below 8M (polled every 1 ms).
 *
 * Output: one "BENCH ..." line per case, key=value pairs.
 *
 * Build: gcc -static -O2 -Wall -Wextra -o robust_bench robust_bench.c -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif

#define MAX_RUNS	200
#define STACK_SIZE	(64 * 1024)

static void die(const char *what)
{
	fprintf(stderr, "robust_bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
	long long ns = (long long)(ms * 1e6);
	struct timespec ts = {
		.tv_sec = ns / 1000000000,
		.tv_nsec = ns % 1000000000,
	};

	nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and nearest-rank p95 of v[0..n); "-" when n == 0. */
static void stats(const double *v, int n, char *med, char *p95, size_t len)
{
	double s[MAX_RUNS];
	int k;

	if (n == 0) {
		snprintf(med, len, "-");
		snprintf(p95, len, "-");
		return;
	}
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	snprintf(med, len, "%.3f", n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
	k = (95 * n + 99) / 100 - 1;	/* nearest rank: ceil(0.95 n) */
	snprintf(p95, len, "%.3f", s[k < 0 ? 0 : k]);
}

static void pin_to_cpu(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(tid, sizeof(set), &set))
		die("sched_setaffinity");
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s));
	close(fd);
	return r == (ssize_t)strlen(s) ? 0 : -1;
}

/* Read a small text file into buf, NUL-terminated. Return: 0, or -1. */
static int read_text(const char *path, char *buf, size_t size)
{
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	r = read(fd, buf, size - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	return 0;
}

static long read_long(const char *path)
{
	char buf[64];

	return read_text(path, buf, sizeof(buf)) ? -1 : strtol(buf, NULL, 10);
}

/* ------------------------------------------------------------------ */
/* process_mrelease() */

struct mr_shared {
	atomic_int ready;
	atomic_int failed;
	pthread_mutex_t m[];
};

struct holder {
	struct mr_shared *sh;
	int idx;
};

static void hold_forever(struct mr_shared *sh, int idx)
{
	if (pthread_mutex_lock(&sh->m[idx]))
		atomic_store(&sh->failed, 1);
	atomic_fetch_add(&sh->ready, 1);
	for (;;)
		pause();
}

static void *holder_thread(void *arg)
{
	struct holder *h = arg;

	hold_forever(h->sh, h->idx);
	return NULL;
}

static void mr_victim(struct mr_shared *sh, int nthreads)
{
	struct holder *h = calloc(nthreads, sizeof(*h));
	pthread_attr_t attr;
	pthread_t t;
	int i;

	if (!h)
		_exit(1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 1; i < nthreads; i++) {
		h[i].sh = sh;
		h[i].idx = i;
		if (pthread_create(&t, &attr, holder_thread, &h[i])) {
			atomic_store(&sh->failed, 1);
			_exit(1);
		}
	}
	hold_forever(sh, 0);
}

static int bench_mrelease(int nthreads, int runs)
{
	double call_us[MAX_RUNS], hand_ms[MAX_RUNS];
	int ncall = 0, nhand = 0, esrch = 0, other_err = 0;
	int hung_total = 0, late_total = 0, hung_runs = 0;
	char a[32], b[32], c[32], d[32];
	size_t size = sizeof(struct mr_shared) + nthreads * sizeof(pthread_mutex_t);
	int run;

	for (run = 0; run < runs; run++) {
		struct sched_param sp;
		pthread_mutexattr_t ma;
		struct mr_shared *sh;
		struct timespec dl;
		double t0, t1, t2, last, tw;
		int i, r, rc, err, pidfd, hung = 0, late = 0, acquired = 0;
		char *timed_out;
		pid_t pid;

		sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			die("mmap");
		timed_out = calloc(nthreads, 1);
		if (!timed_out)
			die("calloc");
		pthread_mutexattr_init(&ma);
		pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
		pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
		for (i = 0; i < nthreads; i++)
			pthread_mutex_init(&sh->m[i], &ma);
		pthread_mutexattr_destroy(&ma);

		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			mr_victim(sh, nthreads);

		tw = now_ms();
		while (atomic_load(&sh->ready) < nthreads && !atomic_load(&sh->failed)) {
			if (now_ms() - tw > 60000) {
				fprintf(stderr, "victim not ready after 60 s\n");
				atomic_store(&sh->failed, 1);
				break;
			}
			sleep_ms(1);
		}
		if (atomic_load(&sh->failed)) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			fprintf(stderr, "victim setup failed (threads=%d)\n", nthreads);
			return 1;
		}
		pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			die("pidfd_open");

		/* Like lmkd: the killer runs at SCHED_FIFO, so it is not preempted
		 * by its dying victim between the kill and the call. */
		sp.sched_priority = 10;
		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			die("SCHED_FIFO");
		t0 = now_ms();
		if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0))
			die("pidfd_send_signal");
		t1 = now_ms();
		rc = syscall(SYS_process_mrelease, pidfd, 0);
		err = errno;
		t2 = now_ms();
		sp.sched_priority = 0;
		sched_setscheduler(0, SCHED_OTHER, &sp);
		if (rc == 0)
			call_us[ncall++] = (t2 - t1) * 1e3;
		else if (err == ESRCH)
			esrch++;
		else {
			other_err++;
			fprintf(stderr, "process_mrelease: %s\n", strerror(err));
		}

		/* Take every mutex over; give up on each at kill + 2 s. */
		last = t0;
		clock_gettime(CLOCK_MONOTONIC, &dl);
		dl.tv_sec += 2;
		for (i = 0; i < nthreads; i++) {
			r = pthread_mutex_clocklock(&sh->m[i], CLOCK_MONOTONIC, &dl);
			if (r == EOWNERDEAD || r == 0) {
				if (r == EOWNERDEAD)
					pthread_mutex_consistent(&sh->m[i]);
				pthread_mutex_unlock(&sh->m[i]);
				last = now_ms();
				acquired++;
			} else {
				timed_out[i] = 1;
			}
		}
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
		/* The victim is gone: what is still locked stays locked forever. */
		for (i = 0; i < nthreads; i++) {
			if (!timed_out[i])
				continue;
			r = pthread_mutex_trylock(&sh->m[i]);
			if (r == EOWNERDEAD || r == 0) {
				if (r == EOWNERDEAD)
					pthread_mutex_consistent(&sh->m[i]);
				pthread_mutex_unlock(&sh->m[i]);
				late++;
			} else {
				hung++;
			}
		}
		if (acquired == nthreads)
			hand_ms[nhand++] = last - t0;
		hung_total += hung;
		late_total += late;
		hung_runs += hung > 0;
		close(pidfd);
		free(timed_out);
		munmap(sh, size);
		printf("# mrelease threads=%d run=%d rc=%d errno=%d call_us=%.1f handover_ms=%.3f hung=%d late=%d\n",
		       nthreads, run, rc, rc ? err : 0, (t2 - t1) * 1e3, last - t0, hung, late);
		fflush(stdout);
	}
	stats(call_us, ncall, a, b, sizeof(a));
	stats(hand_ms, nhand, c, d, sizeof(c));
	printf("BENCH mrelease threads=%d call_us_median=%s call_us_p95=%s handover_ms_median=%s handover_ms_p95=%s handover_complete=%d/%d hung=%d/%d hung_runs=%d/%d late=%d esrch=%d errors=%d runs=%d\n",
	       nthreads, a, b, c, d, nhand, runs, hung_total, nthreads * runs, hung_runs, runs,
	       late_total, esrch, other_err, runs);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* OOM reaper */

#define TRACEFS		"/sys/kernel/tracing"
#define CGROUP		"/sys/fs/cgroup/robust_bench"
#define MEMCG_MAX	(32L << 20)
#define MEM_LOW		(8L << 20)
#define PREFAULT	(24L << 20)

struct oom_shared {
	atomic_int ready;
	atomic_int go;
};

struct oom_victim_arg {
	struct oom_shared *sh;
	bool norobust;
};

static void drop_robust_list(void)
{
	/* A NULL head unregisters the robust list of the calling thread. */
	if (syscall(SYS_set_robust_list, NULL, sizeof(struct robust_list_head)))
		die("set_robust_list");
}

static void *idle_thread(void *arg)
{
	struct oom_victim_arg *va = arg;
	struct sched_param sp = { .sched_priority = 0 };

	if (va->norobust)
		drop_robust_list();
	pin_to_cpu(0, 0);
	if (sched_setscheduler(0, SCHED_IDLE, &sp))
		die("SCHED_IDLE");
	atomic_fetch_add(&va->sh->ready, 1);
	for (;;)
		pause();
	return NULL;
}

static void oom_victim(struct oom_shared *sh, bool norobust, int nthreads)
{
	struct oom_victim_arg va = { .sh = sh, .norobust = norobust };
	pthread_attr_t attr;
	char buf[32];
	pthread_t t;
	long off;
	char *p;
	int i;

	snprintf(buf, sizeof(buf), "%d", getpid());
	if (write_file(CGROUP "/cgroup.procs", buf))
		die("cgroup.procs");
	pin_to_cpu(0, 1);
	if (norobust)
		drop_robust_list();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&t, &attr, idle_thread, &va))
			die("pthread_create");
	p = mmap(NULL, PREFAULT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, PREFAULT);
	atomic_fetch_add(&sh->ready, 1);
	while (!atomic_load(&sh->go))
		sched_yield();
	/* Run into memory.max: the memcg OOM killer picks this process. */
	p = mmap(NULL, 4 * MEMCG_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (off = 0; off < 4 * MEMCG_MAX; off += 4096)
		p[off] = 1;
	_exit(3);	/* not OOM killed */
}

struct hog_arg {
	double stall_ms;
	double killed;		/* when the hog saw the kill */
	atomic_int started;
};

static long oom_kills(void)
{
	char buf[512], *p;

	if (read_text(CGROUP "/memory.events", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "oom_kill ");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

/*
 * Keep CPU 0 busy from before the kill until stall_ms after it: the kill
 * is seen as the memcg's oom_kill event count going up (give up after 5 s).
 */
static void *hog_thread(void *arg)
{
	struct hog_arg *h = arg;
	long kills = oom_kills();
	double t, start = now_ms(), end = start + 5000;

	atomic_store(&h->started, 1);
	h->killed = -1;
	while ((t = now_ms()) < end) {
		if (h->killed < 0 && oom_kills() != kills) {
			h->killed = t;
			end = t + h->stall_ms;
		}
	}
	return NULL;
}

/* Pin the oom_reaper kthread to CPU 1, away from the stalled CPU 0. */
static int pin_oom_reaper(void)
{
	char path[64], comm[32];
	int pid, fd;
	ssize_t r;

	for (pid = 1; pid < 1000; pid++) {
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		r = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (r <= 0)
			continue;
		comm[r] = 0;
		if (strcmp(comm, "oom_reaper\n") == 0) {
			pin_to_cpu(pid, 1);
			return pid;
		}
	}
	return -1;
}

static const char *const oom_events[] = {
	"mark_victim", "wake_reaper", "start_task_reaping", "finish_task_reaping",
	"skip_task_reaping", "oom_reaper_queue", "oom_reaper_dequeue", NULL,
};

static int trace_setup(bool *have_dequeue)
{
	char path[128];
	int i;

	if (write_file(TRACEFS "/trace_clock", "mono"))
		return -1;
	write_file(TRACEFS "/buffer_size_kb", "1024");
	*have_dequeue = false;
	for (i = 0; oom_events[i]; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/oom/%s/enable", oom_events[i]);
		if (write_file(path, "1") == 0 && !strcmp(oom_events[i], "oom_reaper_dequeue"))
			*have_dequeue = true;
	}
	return write_file(TRACEFS "/tracing_on", "1");
}

struct trace_times {
	double mark, start_reap, finish_reap, dequeue;
	char reason[32];
};

/* Find the events of @pid in the trace buffer; times in ms, -1 if absent. */
static void trace_collect(pid_t pid, struct trace_times *tt)
{
	FILE *f = fopen(TRACEFS "/trace", "r");
	char line[512], *ev, *sp;
	int epid;

	tt->mark = tt->start_reap = tt->finish_reap = tt->dequeue = -1;
	strcpy(tt->reason, "-");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		double ts;
		char name[48];

		if (line[0] == '#')
			continue;
		/* "<task>-<tid> [cpu] flags   SECS.USECS: event: pid=N ..." */
		ev = strstr(line, ": ");
		while (ev && !(ev > line && ev[-1] >= '0' && ev[-1] <= '9'))
			ev = strstr(ev + 1, ": ");
		if (!ev)
			continue;
		*ev = 0;
		sp = strrchr(line, ' ');
		if (!sp)
			continue;
		ts = strtod(sp + 1, NULL) * 1e3;
		if (sscanf(ev + 2, "%47[^:]: pid=%d", name, &epid) != 2 || epid != pid)
			continue;
		if (!strcmp(name, "mark_victim") && tt->mark < 0)
			tt->mark = ts;
		else if (!strcmp(name, "start_task_reaping") && tt->start_reap < 0)
			tt->start_reap = ts;
		else if (!strcmp(name, "finish_task_reaping") && tt->finish_reap < 0)
			tt->finish_reap = ts;
		else if (!strcmp(name, "oom_reaper_dequeue") && tt->dequeue < 0) {
			char *r = strstr(ev + 2, "reason=");

			tt->dequeue = ts;
			if (r)
				sscanf(r, "reason=%31s", tt->reason);
		}
	}
	fclose(f);
}

static int bench_oom(const char *which, int runs, int nthreads, double stall_ms)
{
	bool norobust = !strcmp(which, "norobust");
	double reap_ms[MAX_RUNS], mem_ms[MAX_RUNS], exit_ms[MAX_RUNS];
	int nreap = 0, nmem = 0, nexit = 0, nskipped = 0, nfailed = 0;
	int n_futex = 0, n_norobust = 0, n_deadline = 0, n_exited = 0;
	char a[32], b[32], c[32], d[32], e[32], f[32];
	struct sched_param sp = { .sched_priority = 0 };
	bool have_dequeue;
	char buf[32];
	int run;

	if (!norobust && strcmp(which, "robust")) {
		fprintf(stderr, "oom case must be norobust or robust\n");
		return 2;
	}
	if (trace_setup(&have_dequeue)) {
		fprintf(stderr, "robust_bench: no usable tracefs at " TRACEFS "\n");
		return 2;
	}
	if (pin_oom_reaper() < 0)
		fprintf(stderr, "robust_bench: oom_reaper kthread not found\n");
	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		die("mkdir " CGROUP);
	snprintf(buf, sizeof(buf), "%ld", MEMCG_MAX);
	if (write_file(CGROUP "/memory.max", buf))
		die("memory.max");
	write_file(CGROUP "/memory.swap.max", "0");	/* absent without CONFIG_SWAP */
	/* We stay on CPU 1 with the reaper; CPU 0 is for the stall. */
	pin_to_cpu(0, 1);

	for (run = 0; run < runs; run++) {
		struct oom_shared *sh;
		struct hog_arg hog = { .stall_ms = stall_ms };
		struct sched_param fifo = { .sched_priority = 50 };
		struct trace_times tt;
		pthread_attr_t attr;
		double t_go, t_low = -1, t_exit = -1;
		cpu_set_t cpu0;
		pthread_t ht;
		int status = 0;
		pid_t pid;

		sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			die("mmap");
		write_file(TRACEFS "/trace", "");	/* clear the buffer */
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			oom_victim(sh, norobust, nthreads);
		while (atomic_load(&sh->ready) < nthreads + 1) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				fprintf(stderr, "victim died during setup (status %#x)\n", status);
				return 1;
			}
			sleep_ms(1);
		}

		/* The stall: CPU 0 busy at SCHED_FIFO from just before the kill. */
		pthread_attr_init(&attr);
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		pthread_attr_setschedparam(&attr, &fifo);
		CPU_ZERO(&cpu0);
		CPU_SET(0, &cpu0);
		pthread_attr_setaffinity_np(&attr, sizeof(cpu0), &cpu0);
		if (pthread_create(&ht, &attr, hog_thread, &hog)) {
			fprintf(stderr, "cannot start the SCHED_FIFO thread\n");
			return 2;
		}
		pthread_attr_destroy(&attr);
		while (!atomic_load(&hog.started))
			sched_yield();
		t_go = now_ms();
		atomic_store(&sh->go, 1);

		/* Poll memory.current every 1 ms until the victim is gone and uncharged. */
		for (;;) {
			double t = now_ms();
			long cur = read_long(CGROUP "/memory.current");

			/* The victim holds >= PREFAULT until the kill: any drop is after it. */
			if (t_low < 0 && cur >= 0 && cur < MEM_LOW)
				t_low = t;
			if (t_exit < 0 && waitpid(pid, &status, WNOHANG) == pid)
				t_exit = now_ms();
			if (t_exit >= 0 && (t_low >= 0 || cur < MEM_LOW))
				break;
			if (t - t_go > 10000) {
				fprintf(stderr, "victim still there 10 s after go\n");
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				t_exit = now_ms();
				break;
			}
			sleep_ms(1);
		}
		pthread_join(ht, NULL);
		trace_collect(pid, &tt);
		munmap(sh, sizeof(*sh));

		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL || tt.mark < 0) {
			nfailed++;
			printf("# oom case=%s run=%d: victim not OOM killed (status %#x, mark_victim %s)\n",
			       which, run, status, tt.mark < 0 ? "missing" : "seen");
			continue;
		}
		if (tt.start_reap >= 0)
			reap_ms[nreap++] = tt.start_reap - tt.mark;
		else
			nskipped++;
		if (t_low >= 0)
			mem_ms[nmem++] = t_low - tt.mark;
		exit_ms[nexit++] = t_exit - tt.mark;
		if (!strcmp(tt.reason, "futex_done"))
			n_futex++;
		else if (!strcmp(tt.reason, "no_robust"))
			n_norobust++;
		else if (!strcmp(tt.reason, "deadline"))
			n_deadline++;
		else if (!strcmp(tt.reason, "exited"))
			n_exited++;
		printf("# oom case=%s run=%d reap_ms=%.3f reap_done_ms=%.3f mem_ms=%.3f exit_ms=%.3f dequeue_ms=%.3f reason=%s hog_saw_kill_ms=%.3f\n",
		       which, run, tt.start_reap >= 0 ? tt.start_reap - tt.mark : -1,
		       tt.finish_reap >= 0 ? tt.finish_reap - tt.mark : -1,
		       t_low >= 0 ? t_low - tt.mark : -1, t_exit - tt.mark,
		       tt.dequeue >= 0 ? tt.dequeue - tt.mark : -1, tt.reason,
		       hog.killed >= 0 ? hog.killed - tt.mark : -1);
		fflush(stdout);
	}
	sched_setscheduler(0, SCHED_OTHER, &sp);
	stats(reap_ms, nreap, a, b, sizeof(a));
	stats(mem_ms, nmem, c, d, sizeof(c));
	stats(exit_ms, nexit, e, f, sizeof(e));
	printf("BENCH oom case=%s threads=%d stall_ms=%.0f reap_ms_median=%s reap_ms_p95=%s mem_ms_median=%s mem_ms_p95=%s exit_ms_median=%s exit_ms_p95=%s reaped=%d/%d not_reaped=%d",
	       which, nthreads, stall_ms, a, b, c, d, e, f, nreap, runs, nskipped);
	if (have_dequeue)
		printf(" futex_done=%d no_robust=%d deadline=%d exited=%d",
		       n_futex, n_norobust, n_deadline, n_exited);
	printf(" failed=%d runs=%d\n", nfailed, runs);
	fflush(stdout);
	rmdir(CGROUP);
	return nfailed == runs;
}

int main(int argc, char **argv)
{
	int runs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "mrelease")) {
		runs = atoi(argv[3]);
		if (atoi(argv[2]) < 1 || runs < 1 || runs > MAX_RUNS)
			goto usage;
		return bench_mrelease(atoi(argv[2]), runs);
	}
	if (argc >= 4 && !strcmp(argv[1], "oom")) {
		runs = atoi(argv[3]);
		if (runs < 1 || runs > MAX_RUNS)
			goto usage;
		return bench_oom(argv[2], runs, argc > 4 ? atoi(argv[4]) : 8,
				 argc > 5 ? atof(argv[5]) : 500);
	}
usage:
	fprintf(stderr, "usage: robust_bench mrelease THREADS RUNS\n"
			"       robust_bench oom norobust|robust RUNS [THREADS [STALL_MS]]\n");
	return 2;
}
