// SPDX-License-Identifier: GPL-2.0
/*
 * robust_bench - what the OOM reaper and process_mrelease() cost and lose
 * for victims using robust futexes, and what every system pays for it.
 * Runs in the test guest as root (cgroup2 at /sys/fs/cgroup, tracefs at
 * /sys/kernel/tracing, trace_clock mono = CLOCK_MONOTONIC).
 *
 *   robust_bench mrelease THREADS RUNS
 *	a victim whose THREADS threads each hold one robust, process-shared
 *	mutex is SIGKILLed through a pidfd and process_mrelease()d at once:
 *	the call's duration, kill -> last mutex handed over (EOWNERDEAD),
 *	mutexes never handed over (hung).
 *
 *   robust_bench victim oom|mrelease CASE RUNS THREADS [PREFAULT_MB [MEMCG_MB]]
 *	a glibc victim in a memcg with PREFAULT_MB (24) resident and THREADS
 *	threads is killed: by the memcg OOM killer (oom: it overruns
 *	memory.max, MEMCG_MB, by default PREFAULT_MB + 8 + 96 KiB per thread) or by pidfd_send_signal(SIGKILL)
 *	+ process_mrelease() (mrelease). CASE:
 *	  robust   every thread holds a robust process-shared mutex, exits normally
 *	  empty    the threads hold nothing (lists registered by glibc, empty)
 *	  norobust synthetic: every thread unregisters its list (set_robust_list(NULL))
 *	  stuck    like robust, and thread 0 is in uninterruptible sleep in
 *	           pipe_write() -> mutex_lock(&pipe->mutex) until 3.5 s after the
 *	           kill: the pipe mutex is held by a thread of ours faulting on
 *	           a userfaultfd-registered page we resolve only then
 *	  starved  like robust, the threads at SCHED_IDLE on CPU 0 behind CPU
 *	           hogs of ours (two nice -20, one SCHED_FIFO 1) that run until 3 s
 *	           after the kill
 *	  big      like starved, threads hold nothing (large victim: reaper cost)
 *	  swapped  like robust, every thread's list head paged out
 *	           (MADV_PAGEOUT) and memory.swap.max 2 MiB: the cgroup's
 *	           swap is full at the kill, the exit walks must swap in
 *	Reports kill (mark_victim, or the kill call) -> memory.current < 8 MiB
 *	and < half the prefault,
 *	-> start_task_reaping, start -> finish_task_reaping, kill -> exit, the
 *	reaper's decisions (v2 tracepoints, v1's dequeue reason), the oom_reaper
 *	kthread's CPU time, and the mutexes lost. Memory over time after the
 *	kill of run 0: "MEM" lines.
 *
 *   robust_bench cost RUNS THREADS CALLS
 *	pthread_create()+pthread_join() of THREADS threads, CALLS raw
 *	set_robust_list() calls, CALLS getppid() calls (syscall baseline).
 *
 *   robust_bench overcommit RUNS SECONDS CHILDREN CHILD_MB MEMCG_MB
 *	for SECONDS keep CHILDREN children in a MEMCG_MB memcg, each with 4
 *	threads allocating CHILD_MB, holding it 50 ms and exiting: OOM kills
 *	(memory.events oom_kill) and children done per run.
 *
 * Output: one "BENCH ..." line per case (key=value), "# ..." per run.
 *
 * Build: gcc -static -O2 -Wall -Wextra -o robust_bench robust_bench.c -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <linux/userfaultfd.h>

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
#define MIB		(1L << 20)

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

/* Print " NAME_median=.. NAME_p95=.." for v[0..n). */
static void print_stat(const char *name, const double *v, int n)
{
	char a[32], b[32];

	stats(v, n, a, b, sizeof(a));
	printf(" %s_median=%s %s_p95=%s", name, a, name, b);
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

static void init_robust_mutexes(pthread_mutex_t *m, int n)
{
	pthread_mutexattr_t ma;
	int i;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	for (i = 0; i < n; i++)
		pthread_mutex_init(&m[i], &ma);
	pthread_mutexattr_destroy(&ma);
}

/*
 * After the owners are gone: a mutex marked FUTEX_OWNER_DIED is taken
 * over (EOWNERDEAD); one still locked was lost. Return: lost mutexes.
 */
static int count_lost(pthread_mutex_t *m, int n)
{
	int i, r, lost = 0;

	for (i = 0; i < n; i++) {
		r = pthread_mutex_trylock(&m[i]);
		if (r == EOWNERDEAD || r == 0) {
			if (r == EOWNERDEAD)
				pthread_mutex_consistent(&m[i]);
			pthread_mutex_unlock(&m[i]);
		} else {
			lost++;
		}
	}
	return lost;
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
	int ncall = 0, nhand = 0, esrch = 0, eagain = 0, other_err = 0;
	int hung_total = 0, late_total = 0, hung_runs = 0;
	size_t size = sizeof(struct mr_shared) + nthreads * sizeof(pthread_mutex_t);
	int run;

	for (run = 0; run < runs; run++) {
		struct sched_param sp;
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
		init_robust_mutexes(sh->m, nthreads);

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
		else if (err == EAGAIN)
			eagain++;
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
			if (count_lost(&sh->m[i], 1))
				hung++;
			else
				late++;
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
	printf("BENCH mrelease threads=%d", nthreads);
	print_stat("call_us", call_us, ncall);
	print_stat("handover_ms", hand_ms, nhand);
	printf(" handover_complete=%d/%d lost=%d/%d lost_runs=%d/%d late=%d eagain=%d esrch=%d errors=%d runs=%d\n",
	       nhand, runs, hung_total, nthreads * runs, hung_runs, runs,
	       late_total, eagain, esrch, other_err, runs);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tracing */

#define TRACEFS		"/sys/kernel/tracing"

static const char *const trace_events[] = {
	"mark_victim", "wake_reaper", "start_task_reaping", "finish_task_reaping",
	"skip_task_reaping", "oom_reaper_queue", "oom_reaper_dequeue",
	"oom_reaper_decision", "mrelease_decision", NULL,
};

static int trace_setup(void)
{
	char path[128];
	int i;

	if (write_file(TRACEFS "/trace_clock", "mono"))
		return -1;
	write_file(TRACEFS "/buffer_size_kb", "2048");
	for (i = 0; trace_events[i]; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/oom/%s/enable", trace_events[i]);
		write_file(path, "1");	/* absent on some kernels */
	}
	return write_file(TRACEFS "/tracing_on", "1");
}

struct trace_times {
	double mark, start_reap, finish_reap, first_dec, mr_dec;
	int looks;			/* oom_reaper_decision events */
	char reason[32];		/* last decision (v2) or dequeue reason (v1) */
	long spared;			/* spared_pages of the last decision */
};

/* Find the events of @pid in the trace buffer; times in ms, -1 if absent. */
static void trace_collect(pid_t pid, struct trace_times *tt)
{
	FILE *f = fopen(TRACEFS "/trace", "r");
	char line[512], *ev, *sp, *r;
	int epid;

	tt->mark = tt->start_reap = tt->finish_reap = tt->first_dec = tt->mr_dec = -1;
	tt->looks = 0;
	tt->spared = -1;
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
		r = strstr(ev + 2, "reason=");
		if (!strcmp(name, "mark_victim") && tt->mark < 0)
			tt->mark = ts;
		else if (!strcmp(name, "start_task_reaping") && tt->start_reap < 0)
			tt->start_reap = ts;
		else if (!strcmp(name, "finish_task_reaping") && tt->finish_reap < 0)
			tt->finish_reap = ts;
		else if (!strcmp(name, "oom_reaper_decision") ||
			 !strcmp(name, "mrelease_decision")) {
			char *s = strstr(ev + 2, "spared_pages=");

			if (name[0] == 'o') {
				tt->looks++;
				if (tt->first_dec < 0)
					tt->first_dec = ts;
			} else {
				tt->mr_dec = ts;
			}
			if (r)
				sscanf(r, "reason=%31s", tt->reason);
			if (s)
				tt->spared = strtol(s + 13, NULL, 10);
		} else if (!strcmp(name, "oom_reaper_dequeue") && r) {
			sscanf(r, "reason=%31s", tt->reason);
		}
	}
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* cgroup, oom_reaper kthread */

#define CGROUP		"/sys/fs/cgroup/robust_bench"
#define MEM_LOW		(8L << 20)

static long oom_kills(void)
{
	char buf[512], *p;

	if (read_text(CGROUP "/memory.events", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "oom_kill ");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

static void cgroup_setup(long max, long swap_max)
{
	char buf[32];

	if (mkdir(CGROUP, 0755) && errno != EEXIST)
		die("mkdir " CGROUP);
	if (max > 0)
		snprintf(buf, sizeof(buf), "%ld", max);
	else
		snprintf(buf, sizeof(buf), "max");
	if (write_file(CGROUP "/memory.max", buf))
		die("memory.max");
	/* absent without CONFIG_SWAP */
	snprintf(buf, sizeof(buf), "%ld", swap_max);
	write_file(CGROUP "/memory.swap.max", buf);
}

static void cgroup_join(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", getpid());
	if (write_file(CGROUP "/cgroup.procs", buf))
		die("cgroup.procs");
}

static int find_oom_reaper(void)
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
		if (strcmp(comm, "oom_reaper\n") == 0)
			return pid;
	}
	return -1;
}

/* utime + stime of @pid in ms (clock ticks of USER_HZ), -1 on error */
static double task_cpu_ms(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid < 0 || read_text(path, buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* fields after ")": 3 state ... 14 utime 15 stime */
	for (i = 0; i < 12 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (ut + st) * 1000.0 / sysconf(_SC_CLK_TCK);
}

/* State letter of thread @tid of @pid, 0 if unknown */
static char task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_text(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* ------------------------------------------------------------------ */
/* Victims killed by the memcg OOM killer or by pidfd + process_mrelease() */

enum vcase { C_ROBUST, C_EMPTY, C_NOROBUST, C_STUCK, C_STARVED, C_BIG, C_SWAPPED };
static const char *const vcase_names[] = {
	"robust", "empty", "norobust", "stuck", "starved", "big", "swapped", NULL,
};

struct vspec {
	enum vcase c;
	bool oom;		/* memcg OOM kill, else pidfd kill + process_mrelease() */
	int threads;
	long prefault, memcg_max;
	bool lock;		/* each thread holds a robust process-shared mutex */
	bool starve;		/* threads at SCHED_IDLE on CPU 0 behind our hogs */
	double stall_ms;	/* hogs run until kill + stall_ms */
	double stuck_ms;	/* the stuck owner is let go at kill + stuck_ms */
};

struct vshared {
	atomic_int ready, go, failed, pipe_go, owner_tid;
	pthread_mutex_t m[];
};

struct vthread {
	struct vshared *sh;
	const struct vspec *s;
	int idx, wfd;
	void *head;		/* the thread's robust list head */
};

static void drop_robust_list(void)
{
	/* A NULL head unregisters the robust list of the calling thread. */
	if (syscall(SYS_set_robust_list, NULL, sizeof(struct robust_list_head)))
		die("set_robust_list");
}

static void *victim_thread(void *arg)
{
	struct vthread *v = arg;

	if (v->s->c == C_NOROBUST)
		drop_robust_list();
	if (v->s->lock && pthread_mutex_lock(&v->sh->m[v->idx]))
		atomic_store(&v->sh->failed, 1);
	if (v->s->c == C_SWAPPED) {
		size_t len;

		if (syscall(SYS_get_robust_list, 0, &v->head, &len))
			atomic_store(&v->sh->failed, 1);
	}
	if (v->s->c == C_STUCK && v->idx == 0) {
		char buf[16] = "victim";

		atomic_store(&v->sh->owner_tid, gettid());
		atomic_fetch_add(&v->sh->ready, 1);
		while (!atomic_load(&v->sh->pipe_go))
			sleep_ms(1);
		/* Blocks in mutex_lock(&pipe->mutex), TASK_UNINTERRUPTIBLE */
		if (write(v->wfd, buf, sizeof(buf)) < 0)
			atomic_store(&v->sh->failed, 2);
	} else {
		atomic_fetch_add(&v->sh->ready, 1);
	}
	for (;;)
		pause();
	return NULL;
}

static void spawn_threads(struct vthread *v, int n)
{
	pthread_attr_t attr;
	pthread_t t;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 0; i < n; i++) {
		int ready = atomic_load(&v->sh->ready);

		if (pthread_create(&t, &attr, victim_thread, &v[i])) {
			atomic_store(&v->sh->failed, 1);
			_exit(1);
		}
		if (!v->s->starve)
			continue;
		/*
		 * One at a time: each thread goes to sleep while it is the only
		 * runnable task on CPU 0, so with no lag; a thread with positive
		 * lag would be picked ahead of the hogs when the kill wakes it.
		 */
		while (atomic_load(&v->sh->ready) == ready)
			sleep_ms(1);
		sleep_ms(2);
	}
}

static void *victim_spawner(void *arg)
{
	struct vthread *v = arg;
	struct sched_param sp = { .sched_priority = 0 };

	pin_to_cpu(0, 0);
	if (sched_setscheduler(0, SCHED_IDLE, &sp))
		atomic_store(&v->sh->failed, 1);
	spawn_threads(v, v->s->threads);
	for (;;)
		pause();
	return NULL;
}

static void victim_main(struct vshared *sh, const struct vspec *s, int wfd)
{
	struct vthread *v = calloc(s->threads, sizeof(*v));
	pthread_attr_t attr;
	pthread_t t;
	long off, big;
	char *p;
	int i;

	if (!v)
		_exit(1);
	cgroup_join();
	pin_to_cpu(0, 1);
	if (s->c == C_NOROBUST)
		drop_robust_list();
	for (i = 0; i < s->threads; i++)
		v[i] = (struct vthread){ .sh = sh, .s = s, .idx = i, .wfd = wfd };
	if (s->starve) {
		/*
		 * The threads are born at SCHED_IDLE on CPU 0 (a spawner thread
		 * there creates them): never reweighted from nice 0, they carry
		 * no lag that would let them run ahead of our nice -20 hogs.
		 */
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, STACK_SIZE);
		if (pthread_create(&t, &attr, victim_spawner, v)) {
			atomic_store(&sh->failed, 1);
			_exit(1);
		}
	} else {
		spawn_threads(v, s->threads);
	}
	if (s->c == C_SWAPPED) {
		long pg = sysconf(_SC_PAGESIZE);

		/* Page out every thread's list head (swapped: cgroup swap is 2 MiB). */
		while (atomic_load(&sh->ready) < s->threads && !atomic_load(&sh->failed))
			sleep_ms(1);
		for (i = 0; i < s->threads; i++)
			madvise((void *)((unsigned long)v[i].head & ~(pg - 1)), pg, MADV_PAGEOUT);
	}
	p = mmap(NULL, s->prefault, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	memset(p, 1, s->prefault);
	atomic_fetch_add(&sh->ready, 1);
	while (!atomic_load(&sh->go))
		sleep_ms(1);
	if (s->oom) {
		/* Run into memory.max: the memcg OOM killer picks this process. */
		big = 2 * s->memcg_max;
		p = mmap(NULL, big, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		for (off = 0; off < big; off += 4096)
			p[off] = 1;
		_exit(3);	/* not OOM killed */
	}
	for (;;)
		pause();
}

/*
 * The stuck owner: a thread of ours write()s to the victim's pipe from a
 * userfaultfd-registered page that is missing, so it faults inside
 * pipe_write() with pipe->mutex held; the resolver thread fills the page
 * at release_ms (CLOCK_MONOTONIC ms; 0 = not yet known, give up after 60 s).
 */
struct stuck {
	int uffd, wfd;
	char *page;
	atomic_int faulted;
	_Atomic double release_ms;
	pthread_t writer, resolver;
};

static void *stuck_writer(void *arg)
{
	struct stuck *st = arg;

	if (write(st->wfd, st->page, 16) < 0)
		fprintf(stderr, "stuck writer: %s\n", strerror(errno));
	return NULL;
}

static void *stuck_resolver(void *arg)
{
	struct stuck *st = arg;
	struct uffd_msg msg;
	struct uffdio_zeropage zp;
	struct pollfd pfd = { .fd = st->uffd, .events = POLLIN };
	double t0 = now_ms(), rel;

	if (poll(&pfd, 1, 30000) != 1 || read(st->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT) {
		fprintf(stderr, "stuck: no userfault seen\n");
		atomic_store(&st->faulted, -1);
	} else {
		atomic_store(&st->faulted, 1);
	}
	for (;;) {
		rel = atomic_load(&st->release_ms);
		if ((rel > 0 && now_ms() >= rel) || now_ms() - t0 > 60000)
			break;
		sleep_ms(1);
	}
	zp.range.start = (unsigned long)st->page;
	zp.range.len = 4096;
	zp.mode = 0;
	if (ioctl(st->uffd, UFFDIO_ZEROPAGE, &zp))
		fprintf(stderr, "UFFDIO_ZEROPAGE: %s\n", strerror(errno));
	return NULL;
}

static int stuck_start(struct stuck *st, int wfd)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;

	memset(st, 0, sizeof(*st));
	st->wfd = wfd;
	/* No UFFD_USER_MODE_ONLY: we want the kernel-mode fault (root). */
	st->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (st->uffd < 0)
		die("userfaultfd");
	if (ioctl(st->uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	st->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st->page == MAP_FAILED)
		die("mmap");
	reg.range.start = (unsigned long)st->page;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(st->uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	if (pthread_create(&st->resolver, NULL, stuck_resolver, st) ||
	    pthread_create(&st->writer, NULL, stuck_writer, st))
		die("pthread_create");
	while (!atomic_load(&st->faulted))
		sleep_ms(1);
	return atomic_load(&st->faulted) > 0 ? 0 : -1;
}

static void stuck_end(struct stuck *st)
{
	if (atomic_load(&st->release_ms) <= 0)
		atomic_store(&st->release_ms, now_ms());
	pthread_join(st->writer, NULL);
	pthread_join(st->resolver, NULL);
	munmap(st->page, 4096);
	close(st->uffd);
}

/* CPU hogs on CPU 0 (two at nice -20, one SCHED_FIFO), until end_ms (0 = not yet known; 60 s max) */
#define NHOGS 3
struct hogs {
	_Atomic double end_ms;
	atomic_int started;
	pthread_t t[NHOGS];
};

static void *hog_thread(void *arg)
{
	struct hogs *h = arg;
	double t0 = now_ms(), end;
	volatile unsigned long spin = 0;

	pin_to_cpu(0, 0);
	if (atomic_fetch_add(&h->started, 1) == NHOGS - 1) {
		struct sched_param fifo = { .sched_priority = 1 };

		/*
		 * The last hog is SCHED_FIFO: the fair class then only gets the
		 * fair server's 5% of CPU 0, and the nice -20 hogs take that.
		 * Against nice -20 hogs alone, SCHED_IDLE owners woken by the
		 * kill still got to run within ~0.5 s in our tests (EEVDF lag).
		 */
		if (sched_setscheduler(0, SCHED_FIFO, &fifo))
			fprintf(stderr, "hog: SCHED_FIFO: %s\n", strerror(errno));
	} else if (setpriority(PRIO_PROCESS, gettid(), -20)) {
		fprintf(stderr, "hog: setpriority: %s\n", strerror(errno));
	}
	for (;;) {
		end = atomic_load(&h->end_ms);
		if ((end > 0 && now_ms() >= end) || now_ms() - t0 > 60000)
			break;
		for (int i = 0; i < 1000; i++)
			spin++;
	}
	return NULL;
}

static void hogs_start(struct hogs *h)
{
	int i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < NHOGS; i++)
		if (pthread_create(&h->t[i], NULL, hog_thread, h))
			die("pthread_create");
	while (atomic_load(&h->started) < NHOGS)
		sleep_ms(1);
	sleep_ms(20);	/* let them take CPU 0 over */
}

static void hogs_end(struct hogs *h)
{
	int i;

	if (atomic_load(&h->end_ms) <= 0)
		atomic_store(&h->end_ms, now_ms());
	for (i = 0; i < NHOGS; i++)
		pthread_join(h->t[i], NULL);
}

#define MAX_SAMPLES	40000

/* Samples memory.current every 1 ms until told to stop. */
struct sampler {
	double *t;
	long *v;
	atomic_int n, stop;
	long half;		/* half the prefault */
	_Atomic double t_low;	/* first sample below MEM_LOW */
	_Atomic double t_half;	/* first sample below half */
};

static void *sampler_thread(void *arg)
{
	struct sampler *smp = arg;

	while (!atomic_load(&smp->stop)) {
		double t = now_ms();
		long cur = read_long(CGROUP "/memory.current");
		int n = atomic_load(&smp->n);

		if (n < MAX_SAMPLES) {
			smp->t[n] = t;
			smp->v[n] = cur;
			atomic_store(&smp->n, n + 1);
		}
		/* The victim holds >= its prefault until the kill: any drop is after it. */
		if (atomic_load(&smp->t_low) < 0 && cur >= 0 && cur < MEM_LOW)
			atomic_store(&smp->t_low, t);
		if (atomic_load(&smp->t_half) < 0 && cur >= 0 && cur < smp->half)
			atomic_store(&smp->t_half, t);
		sleep_ms(1);
	}
	return NULL;
}

static int bench_victim(struct vspec *s, int runs)
{
	const char *kname = s->oom ? "oom" : "mrelease";
	int nm = s->lock ? s->threads : 0;
	size_t size = sizeof(struct vshared) + (nm ? nm : 1) * sizeof(pthread_mutex_t);
	double half_ms[MAX_RUNS], low_ms[MAX_RUNS], reap_ms[MAX_RUNS], reapdur_ms[MAX_RUNS], exit_ms[MAX_RUNS];
	double call_us[MAX_RUNS], cpu_ms[MAX_RUNS], spared[MAX_RUNS], looks[MAX_RUNS];
	int nhalf = 0, nlow = 0, nreap = 0, ndur = 0, nexit = 0, ncall = 0, ncpu = 0, nspared = 0, nlooks = 0;
	int lost_total = 0, lost_runs = 0, failed = 0, notreaped = 0, eagain = 0, errors = 0;
	char reasons[256] = "";
	double *st_t = malloc(MAX_SAMPLES * sizeof(double));
	long *st_v = malloc(MAX_SAMPLES * sizeof(long));
	struct sched_param sp0 = { .sched_priority = 0 };
	int reaper = find_oom_reaper();
	int run;

	if (!st_t || !st_v)
		die("malloc");
	if (trace_setup()) {
		fprintf(stderr, "robust_bench: no usable tracefs at " TRACEFS "\n");
		return 2;
	}
	if (reaper < 0)
		fprintf(stderr, "robust_bench: oom_reaper kthread not found\n");
	else
		pin_to_cpu(reaper, 1);	/* away from the hogs on CPU 0 */
	cgroup_setup(s->oom ? s->memcg_max : 0, s->c == C_SWAPPED ? 2 * MIB : 0);
	pin_to_cpu(0, 1);

	for (run = 0; run < runs; run++) {
		struct trace_times tt;
		struct sampler smp;
		pthread_t smp_thread;
		struct stuck stk;
		struct hogs hogs;
		double t_go, t_kill = -1, t_seen = -1, t_low = -1, t_exit = -1, cpu0, cpu1;
		double t_call = -1, t_half = -1;
		long kills0;
		int status = 0, pfd[2] = { -1, -1 }, pidfd = -1, rc = 0, err = 0;
		int lost = 0, ns = 0, i;
		bool ok = true;
		struct vshared *sh;
		pid_t pid;

		sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			die("mmap");
		init_robust_mutexes(sh->m, nm);
		if (s->c == C_STUCK && pipe(pfd))
			die("pipe");
		write_file(TRACEFS "/trace", "");	/* clear the buffer */
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			victim_main(sh, s, pfd[1]);
		t_go = now_ms();
		while (atomic_load(&sh->ready) < s->threads + 1 && !atomic_load(&sh->failed)) {
			if (waitpid(pid, &status, WNOHANG) == pid || now_ms() - t_go > 120000) {
				fprintf(stderr, "victim died or hung during setup (status %#x)\n", status);
				return 1;
			}
			sleep_ms(1);
		}
		if (atomic_load(&sh->failed)) {
			fprintf(stderr, "victim setup failed\n");
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 1;
		}
		if (s->c == C_STUCK) {
			pid_t tid = atomic_load(&sh->owner_tid);

			if (stuck_start(&stk, pfd[1]))
				ok = false;
			atomic_store(&sh->pipe_go, 1);
			for (i = 0; ok && task_state(pid, tid) != 'D'; i++) {
				if (i > 10000) {
					fprintf(stderr, "stuck owner %d never in D state\n", tid);
					ok = false;
				}
				sleep_ms(1);
			}
		}
		if (s->starve)
			hogs_start(&hogs);
		if (!s->oom) {
			pidfd = syscall(SYS_pidfd_open, pid, 0);
			if (pidfd < 0)
				die("pidfd_open");
		}
		cpu0 = task_cpu_ms(reaper);
		kills0 = oom_kills();

		/* memory.current every 1 ms from just before the kill */
		smp = (struct sampler){ .t = st_t, .v = st_v, .t_low = -1, .t_half = -1,
					.half = s->prefault / 2 };
		if (pthread_create(&smp_thread, NULL, sampler_thread, &smp))
			die("pthread_create");
		while (atomic_load(&smp.n) < 2)
			sleep_ms(1);

		/* The kill */
		t_go = now_ms();
		if (s->oom) {
			atomic_store(&sh->go, 1);
		} else {
			struct sched_param fifo = { .sched_priority = 10 };

			/* Like lmkd: the killer runs at SCHED_FIFO. */
			if (sched_setscheduler(0, SCHED_FIFO, &fifo))
				die("SCHED_FIFO");
			t_kill = t_seen = now_ms();
			if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0))
				die("pidfd_send_signal");
			t_call = now_ms();
			rc = syscall(SYS_process_mrelease, pidfd, 0);
			err = errno;
			t_call = now_ms() - t_call;
			sched_setscheduler(0, SCHED_OTHER, &sp0);
			if (s->c == C_STUCK)
				atomic_store(&stk.release_ms, t_seen + s->stuck_ms);
			if (s->starve)
				atomic_store(&hogs.end_ms, t_seen + s->stall_ms);
		}

		/* Until the victim is gone and uncharged (the sampler polls memory.current). */
		for (;;) {
			double t = now_ms();

			if (t_seen < 0 && oom_kills() != kills0) {
				t_seen = t;
				if (s->c == C_STUCK)
					atomic_store(&stk.release_ms, t_seen + s->stuck_ms);
				if (s->starve)
					atomic_store(&hogs.end_ms, t_seen + s->stall_ms);
			}
			if (t_exit < 0 && waitpid(pid, &status, WNOHANG) == pid) {
				t_exit = now_ms();
				if (!WIFSIGNALED(status)) {
					fprintf(stderr, "victim exited with status %#x\n", status);
					ok = false;
					break;
				}
			}
			if (t_exit >= 0 && (atomic_load(&smp.t_low) >= 0 ||
					    read_long(CGROUP "/memory.current") < MEM_LOW))
				break;
			if (t - t_go > 30000) {
				fprintf(stderr, "victim still there 30 s after the kill\n");
				if (s->c == C_STUCK)
					atomic_store(&stk.release_ms, t);
				if (s->starve)
					atomic_store(&hogs.end_ms, t);
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				t_exit = now_ms();
				ok = false;
				break;
			}
			sleep_ms(1);
		}
		sleep_ms(5);	/* a few samples after the end */
		atomic_store(&smp.stop, 1);
		pthread_join(smp_thread, NULL);
		t_low = atomic_load(&smp.t_low);
		t_half = atomic_load(&smp.t_half);
		ns = atomic_load(&smp.n);
		if (s->c == C_STUCK)
			stuck_end(&stk);
		if (s->starve)
			hogs_end(&hogs);
		cpu1 = task_cpu_ms(reaper);
		trace_collect(pid, &tt);
		lost = count_lost(sh->m, nm);
		munmap(sh, size);
		if (pfd[0] >= 0) {
			close(pfd[0]);
			close(pfd[1]);
		}
		if (pidfd >= 0)
			close(pidfd);

		if (s->oom)
			t_kill = tt.mark;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL || t_kill < 0 || !ok) {
			failed++;
			printf("# victim %s case=%s run=%d: failed (status %#x, mark_victim %s, ok %d)\n",
			       kname, vcase_names[s->c], run, status, tt.mark < 0 ? "missing" : "seen", ok);
			continue;
		}
		lost_total += lost;
		lost_runs += lost > 0;
		if (tt.start_reap >= 0)
			reap_ms[nreap++] = tt.start_reap - t_kill;
		else
			notreaped++;
		if (tt.start_reap >= 0 && tt.finish_reap >= 0)
			reapdur_ms[ndur++] = tt.finish_reap - tt.start_reap;
		if (t_low >= 0)
			low_ms[nlow++] = t_low - t_kill;
		if (t_half >= 0)
			half_ms[nhalf++] = t_half - t_kill;
		exit_ms[nexit++] = t_exit - t_kill;
		if (cpu0 >= 0 && cpu1 >= 0)
			cpu_ms[ncpu++] = cpu1 - cpu0;
		if (tt.spared >= 0)
			spared[nspared++] = tt.spared;
		looks[nlooks++] = tt.looks;
		if (!s->oom) {
			if (rc == 0)
				call_us[ncall++] = t_call * 1e3;
			else if (err == EAGAIN)
				eagain++;
			else
				errors++;
		}
		/* reasons: "name:count,..." */
		{
			const char *why = tt.reason[0] != '-' ? tt.reason :
					  tt.start_reap >= 0 ? "reaped" : "not_reaped";
			char key[40], *q;

			snprintf(key, sizeof(key), "%s:", why);
			q = strstr(reasons, key);
			if (q && (q == reasons || q[-1] == ',')) {
				char tmp[256];
				int c = atoi(q + strlen(key));
				char *rest = strchr(q, ',');

				snprintf(tmp, sizeof(tmp), "%.*s%s%d%s", (int)(q - reasons), reasons,
					 key, c + 1, rest ? rest : "");
				strcpy(reasons, tmp);
			} else {
				size_t l = strlen(reasons);

				snprintf(reasons + l, sizeof(reasons) - l, "%s%s1", l ? "," : "", key);
			}
		}
		printf("# victim %s case=%s run=%d half_ms=%.3f low_ms=%.3f reap_ms=%.3f reapdur_ms=%.3f exit_ms=%.3f lost=%d/%d reason=%s spared=%ld looks=%d reaper_cpu_ms=%.0f call_us=%.1f rc=%d errno=%d\n",
		       kname, vcase_names[s->c], run, t_half >= 0 ? t_half - t_kill : -1,
		       t_low >= 0 ? t_low - t_kill : -1,
		       tt.start_reap >= 0 ? tt.start_reap - t_kill : -1,
		       tt.start_reap >= 0 && tt.finish_reap >= 0 ? tt.finish_reap - tt.start_reap : -1,
		       t_exit - t_kill, lost, nm, tt.reason, tt.spared, tt.looks,
		       cpu1 - cpu0, t_call * 1e3, rc, rc ? err : 0);
		if (run == 0) {
			/* Memory over time around the kill: every change of 256 KiB or 20 ms */
			double lt = -1e9;
			long lv = -1;

			for (i = 0; i < ns; i++) {
				if (st_t[i] < t_kill - 100 || st_v[i] < 0)
					continue;
				if (i + 1 < ns && labs(st_v[i] - lv) < 256 * 1024 && st_t[i] - lt < 20)
					continue;
				printf("MEM %s_%s %.3f %.3f\n", kname, vcase_names[s->c],
				       st_t[i] - t_kill, st_v[i] / (double)MIB);
				lt = st_t[i];
				lv = st_v[i];
			}
		}
		fflush(stdout);
	}
	printf("BENCH %s case=%s", kname, vcase_names[s->c]);
	print_stat("kill_to_8M_ms", low_ms, nlow);
	print_stat("kill_to_half_ms", half_ms, nhalf);
	print_stat("kill_to_reap_ms", reap_ms, nreap);
	print_stat("reap_ms", reapdur_ms, ndur);
	print_stat("kill_to_exit_ms", exit_ms, nexit);
	if (!s->oom)
		print_stat("call_us", call_us, ncall);
	if (s->c == C_BIG) {
		print_stat("reaper_cpu_ms", cpu_ms, ncpu);
		print_stat("looks", looks, nlooks);
	}
	print_stat("spared_pages", spared, nspared);
	printf(" lost=%d/%d lost_runs=%d/%d reaped=%d/%d reasons=%s", lost_total,
	       nm * (runs - failed), lost_runs, runs - failed, nreap, runs - failed,
	       reasons[0] ? reasons : "-");
	if (!s->oom)
		printf(" eagain=%d errors=%d", eagain, errors);
	printf(" threads=%d prefault_mb=%ld failed=%d runs=%d\n", s->threads, s->prefault / MIB,
	       failed, runs);
	fflush(stdout);
	sched_setscheduler(0, SCHED_OTHER, &sp0);
	rmdir(CGROUP);
	free(st_t);
	free(st_v);
	return failed == runs;
}

/* ------------------------------------------------------------------ */
/* What every system pays */

static void *noop_thread(void *arg)
{
	return arg;
}

static int bench_cost(int runs, int nthreads, long ncalls)
{
	double thr_us[MAX_RUNS], srl_ns[MAX_RUNS], ppid_ns[MAX_RUNS];
	struct robust_list_head head = { .list.next = (struct robust_list *)&head };
	struct robust_list_head *saved;
	size_t saved_len;
	int run, i;

	if (syscall(SYS_get_robust_list, 0, &saved, &saved_len))
		die("get_robust_list");
	for (run = 0; run < runs; run++) {
		double t0, t1;
		long k;

		t0 = now_ms();
		for (i = 0; i < nthreads; i++) {
			pthread_t t;

			if (pthread_create(&t, NULL, noop_thread, NULL) || pthread_join(t, NULL))
				die("pthread_create");
		}
		t1 = now_ms();
		thr_us[run] = (t1 - t0) * 1e3 / nthreads;

		t0 = now_ms();
		for (k = 0; k < ncalls; k++)
			syscall(SYS_set_robust_list, &head, sizeof(head));
		t1 = now_ms();
		srl_ns[run] = (t1 - t0) * 1e6 / ncalls;
		syscall(SYS_set_robust_list, saved, saved_len);

		t0 = now_ms();
		for (k = 0; k < ncalls; k++)
			syscall(SYS_getppid);
		t1 = now_ms();
		ppid_ns[run] = (t1 - t0) * 1e6 / ncalls;
		printf("# cost run=%d thread_create_join_us=%.3f set_robust_list_ns=%.1f getppid_ns=%.1f\n",
		       run, thr_us[run], srl_ns[run], ppid_ns[run]);
	}
	printf("BENCH cost");
	print_stat("thread_create_join_us", thr_us, runs);
	print_stat("set_robust_list_ns", srl_ns, runs);
	print_stat("getppid_ns", ppid_ns, runs);
	printf(" threads=%d calls=%ld runs=%d\n", nthreads, ncalls, runs);
	return 0;
}

/* ------------------------------------------------------------------ */
/* A fixed overcommitting load: does reaping earlier cause more OOM kills? */

static void *sleeper_thread(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void oc_child(long bytes)
{
	pthread_attr_t attr;
	pthread_t t;
	long off;
	char *p;
	int i;

	cgroup_join();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 0; i < 4; i++)
		if (pthread_create(&t, &attr, sleeper_thread, NULL))
			_exit(1);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	for (off = 0; off < bytes; off += 4096)
		p[off] = 1;
	sleep_ms(50);
	_exit(0);
}

static int bench_overcommit(int runs, double secs, int children, long child_mb, long memcg_mb)
{
	double kills[MAX_RUNS], done[MAX_RUNS], killed[MAX_RUNS], per100[MAX_RUNS];
	int run;

	cgroup_setup(memcg_mb * MIB, 0);
	for (run = 0; run < runs; run++) {
		long k0 = oom_kills(), k1;
		double t_end = now_ms() + secs * 1e3;
		int live = 0, started = 0, ok = 0, sig = 0, other = 0, status;
		pid_t pid;

		while (now_ms() < t_end || live > 0) {
			while (now_ms() < t_end && live < children) {
				pid = fork();
				if (pid < 0)
					die("fork");
				if (pid == 0)
					oc_child(child_mb * MIB);
				live++;
				started++;
			}
			pid = waitpid(-1, &status, 0);
			if (pid < 0)
				die("waitpid");
			live--;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				ok++;
			else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
				sig++;
			else
				other++;
		}
		k1 = oom_kills();
		kills[run] = k1 - k0;
		done[run] = ok;
		killed[run] = sig;
		per100[run] = started ? 100.0 * (k1 - k0) / started : 0;
		printf("# overcommit run=%d started=%d done=%d killed=%d other=%d oom_kill=%ld\n",
		       run, started, ok, sig, other, k1 - k0);
		fflush(stdout);
	}
	printf("BENCH overcommit");
	print_stat("oom_kills", kills, runs);
	print_stat("children_done", done, runs);
	print_stat("children_killed", killed, runs);
	print_stat("oom_kills_per_100_children", per100, runs);
	printf(" seconds=%.0f children=%d child_mb=%ld memcg_mb=%ld runs=%d\n",
	       secs, children, child_mb, memcg_mb, runs);
	rmdir(CGROUP);
	return 0;
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
	if (argc >= 6 && !strcmp(argv[1], "victim")) {
		struct vspec s = { .prefault = 24 * MIB, .memcg_max = 32 * MIB,
				   .stall_ms = 3000, .stuck_ms = 3500 };
		int c;

		for (c = 0; vcase_names[c] && strcmp(vcase_names[c], argv[3]); c++)
			;
		runs = atoi(argv[4]);
		s.threads = atoi(argv[5]);
		if (!vcase_names[c] || runs < 1 || runs > MAX_RUNS || s.threads < 1)
			goto usage;
		s.c = c;
		if (!strcmp(argv[2], "oom"))
			s.oom = true;
		else if (strcmp(argv[2], "mrelease"))
			goto usage;
		if (argc > 6)
			s.prefault = atol(argv[6]) * MIB;
		/* room for the threads' stacks, kernel stacks and page tables */
		s.memcg_max = argc > 7 ? atol(argv[7]) * MIB :
			      s.prefault + 8 * MIB + s.threads * (STACK_SIZE + 32 * 1024L);
		s.lock = s.c == C_ROBUST || s.c == C_STUCK || s.c == C_STARVED || s.c == C_SWAPPED;
		s.starve = s.c == C_STARVED || s.c == C_BIG;
		return bench_victim(&s, runs);
	}
	if (argc >= 5 && !strcmp(argv[1], "cost")) {
		runs = atoi(argv[2]);
		if (runs < 1 || runs > MAX_RUNS)
			goto usage;
		return bench_cost(runs, atoi(argv[3]), atol(argv[4]));
	}
	if (argc >= 7 && !strcmp(argv[1], "overcommit")) {
		runs = atoi(argv[2]);
		if (runs < 1 || runs > MAX_RUNS)
			goto usage;
		return bench_overcommit(runs, atof(argv[3]), atoi(argv[4]), atol(argv[5]),
					atol(argv[6]));
	}
usage:
	fprintf(stderr, "usage: robust_bench mrelease THREADS RUNS\n"
			"       robust_bench victim oom|mrelease robust|empty|norobust|stuck|starved|big RUNS THREADS [PREFAULT_MB [MEMCG_MB]]\n"
			"       robust_bench cost RUNS THREADS CALLS\n"
			"       robust_bench overcommit RUNS SECONDS CHILDREN CHILD_MB MEMCG_MB\n");
	return 2;
}
