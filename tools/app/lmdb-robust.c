// SPDX-License-Identifier: GPL-2.0
/*
 * Drive an unmodified application, Debian's mdb_load (lmdb-utils), into the
 * OOM-reaper / robust-futex race and report whether its write lock survived.
 *
 * LMDB keeps its writer mutex in the lock file (lock.mdb), a process-shared
 * robust pthread mutex in a MAP_SHARED file mapping. mdb_load takes it with
 * the first write transaction and holds it while it reads records from
 * stdin. This program makes mdb_load's stdin a pipe, lets it take the lock,
 * and then holds that pipe's mutex with a writer thread that faults on a
 * userfaultfd page inside pipe_write(): mdb_load's next read() waits for
 * the pipe mutex in TASK_UNINTERRUPTIBLE, where SIGKILL does not end it
 * (the owner is "stuck", as one waiting for I/O is). Then mdb_load is
 * killed, by a memory cgroup OOM with memory.oom.group (case lmdb_oom: a
 * container OOM) or by SIGKILL + process_mrelease() (case lmdb_mrelease:
 * a userspace OOM killer such as lmkd), while a second mdb_load, outside the
 * cgroup, waits for the lock (another process of the application: LMDB's
 * sole user would re-create the lock file instead). After 3 s, longer than
 * the 2 s the OOM reaper waits on stock kernels, the pipe is let go,
 * mdb_load exits, and its exit walk of the robust list either marks the
 * lock FUTEX_OWNER_DIED, so that the waiter can get it (EOWNERDEAD, on
 * which LMDB recovers: inferred from the waiter finishing, not seen here)
 * and finish (kept), or cannot, so that the waiter waits as long as the
 * environment stays open (lost).
 *
 * The verdicts, one per attempt ("# verdict: CASE WORD"; an inconclusive
 * attempt is followed by one more, and the last verdict counts):
 *   kept          the word no longer names the dead mdb_load without
 *                 FUTEX_OWNER_DIED, and the waiting mdb_load finished
 *   lost          the word still holds the dead mdb_load's TID without
 *                 FUTEX_OWNER_DIED, and the waiting mdb_load was still
 *                 waiting 10 s after the owner was gone
 *   inconclusive  the race was not set up (mdb_load not holding the lock
 *                 in D state, no waiter, or nothing reaped while it was
 *                 stuck): no verdict either way
 *   error         anything else, e.g. the word and the waiter disagree
 * "Conclusive" means: mdb_load was killed by SIGKILL and, when the reaper
 * or process_mrelease() had acted (at least half of its anonymous RSS gone
 * while it was stuck), the futex word still held its TID without
 * FUTEX_OWNER_DIED. The D state is made by this program, not by LMDB.
 *
 * Usage: lmdb-robust [-m MDB_LOAD] [CASE...]   (cases: lmdb_oom lmdb_mrelease)
 * Runs as root in a guest with cgroup2 at /sys/fs/cgroup (+memory) and
 * userfaultfd; leaves no cgroup, process or file behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define CG		"/sys/fs/cgroup/kdev-lmdb"
#define STUCK_MS	3000	/* longer than the stock reaper's 2 s */
#define NEXT_MS		10000	/* how long the next writer may wait */
#define STATE_MS	5000

static const char *mdb_load = "/usr/bin/mdb_load";
static long page_size;

static const char header[] =
	"VERSION=3\nformat=print\ntype=btree\nHEADER=END\n";

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -1;
	close(fd);
	return ret;
}

/* The one-character state of /proc/PID/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static int wait_state(pid_t pid, const char *states, int ms)
{
	int64_t end = now_ms() + ms;
	char s;

	do {
		s = proc_state(pid);
		if (s && strchr(states, s))
			return s;
		sleep_ms(2);
	} while (now_ms() < end);
	return 0;
}

/* RssAnon of PID in kB, or -1. */
static long rss_anon(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The pipe whose mutex the writer thread holds while it faults. */
static int uffd = -1;
static char *upage;

static void *stuck_writer(void *arg)
{
	int fd = *(int *)arg;

	if (write(fd, upage, page_size) < 0)
		return (void *)1;
	return NULL;
}

static const char *stuck_start(int fd, pthread_t *thr, int *started)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct pollfd pfd;
	struct uffd_msg msg;
	static int wfd;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		return "userfaultfd";
	upage = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (upage == MAP_FAILED)
		return "mmap";
	reg.range.start = (unsigned long)upage;
	reg.range.len = page_size;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return "UFFDIO_REGISTER";
	wfd = fd;
	if (pthread_create(thr, NULL, stuck_writer, &wfd))
		return "pthread_create";
	*started = 1;
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	if (poll(&pfd, 1, STATE_MS) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		return "the pipe writer did not fault on the userfaultfd page";
	return NULL;
}

static void stuck_release(void)
{
	struct uffdio_zeropage zp = { .range = { (unsigned long)upage, page_size } };

	if (uffd >= 0 && ioctl(uffd, UFFDIO_ZEROPAGE, &zp)) {
		close(uffd);	/* ends the fault too */
		uffd = -1;
	}
}

/* waitpid() with a deadline; kills the child when it passes. 1: exited. */
static int wait_child(pid_t pid, int ms, int *status)
{
	int64_t end = now_ms() + ms;

	do {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		sleep_ms(5);
	} while (now_ms() < end);
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return 0;
}

static pid_t spawn_mdb_load(const char *dir, int in_fd, const char *cg)
{
	pid_t pid = fork();
	char pidbuf[16];
	int null;

	if (pid)
		return pid;
	if (cg) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		if (write_file(cg, pidbuf))
			_exit(126);
	}
	null = open("/dev/null", O_WRONLY);
	dup2(in_fd, 0);
	dup2(null, 1);
	execl(mdb_load, "mdb_load", dir, (char *)NULL);
	_exit(127);
}

/* A process in the cgroup that allocates until the cgroup's OOM kills it. */
static pid_t spawn_hog(void)
{
	pid_t pid = fork();
	char pidbuf[16];
	size_t sz = 256UL << 20;
	char *p;

	if (pid)
		return pid;
	snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
	if (write_file(CG "/cgroup.procs", pidbuf))
		_exit(126);
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(125);
	for (size_t i = 0; i < sz; i += page_size)
		p[i] = 1;
	_exit(124);	/* not killed: the cgroup limit did not hold */
}

static int pidfd_open(pid_t pid)
{
	return syscall(__NR_pidfd_open, pid, 0);
}

/*
 * The futex word of LMDB's writer mutex: a 32-bit word of the lock file
 * that holds the TID of PID, with glibc's __owner (8 bytes on) holding it
 * too: a locked pthread mutex.
 */
static long find_word(const uint32_t *map, size_t len, pid_t pid)
{
	for (size_t i = 0; i + 2 < len / 4; i++)
		if ((__atomic_load_n(&map[i], __ATOMIC_RELAXED) & FUTEX_TID_MASK) == (uint32_t)pid &&
		    __atomic_load_n(&map[i + 2], __ATOMIC_RELAXED) == (uint32_t)pid)
			return i;
	return -1;
}

static int run_case(const char *name)
{
	int mrel = !strcmp(name, "lmdb_mrelease");
	char dir[64], lock[96], dump[96], buf[256];
	int p[2] = { -1, -1 }, lfd = -1, dfd = -1, st, pidfd = -1, ret = -1, tries;
	pid_t pid = 0, next = 0, victim;
	uint32_t *map = MAP_FAILED, w0, w1;
	size_t maplen = 0;
	long word = -1, rss0, rss1 = -1;
	pthread_t thr;
	int stuck = 0, exited, lost;
	int64_t t, tn;
	const char *why = NULL, *verdict = "error";
	struct stat sb;

	snprintf(dir, sizeof(dir), "/tmp/%s", name);
	snprintf(lock, sizeof(lock), "%s/lock.mdb", dir);
	snprintf(dump, sizeof(dump), "/tmp/%s.dump", name);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		why = "mkdir";
		goto out;
	}
	if (mkdir(CG, 0755) && errno != EEXIST) {
		why = "cannot create " CG;
		goto out;
	}
	if (write_file(CG "/memory.max", "32M") || write_file(CG "/memory.swap.max", "0") ||
	    write_file(CG "/memory.oom.group", "1")) {
		why = "cannot set memory.max/swap.max/oom.group";
		goto out;
	}
	if (pipe2(p, O_CLOEXEC)) {
		why = "pipe2";
		goto out;
	}
	pid = spawn_mdb_load(dir, p[0], CG "/cgroup.procs");
	if (pid < 0) {
		why = "fork";
		goto out;
	}
	/* The header opens the write transaction; two records, no end. */
	snprintf(buf, sizeof(buf), "%s a\n 1\n b\n 2\n", header);
	if (write(p[1], buf, strlen(buf)) != (ssize_t)strlen(buf)) {
		why = "write to mdb_load";
		goto out;
	}
	/* mdb_load holds the writer mutex: its TID is in the lock file. */
	for (t = now_ms() + STATE_MS; now_ms() < t && word < 0; sleep_ms(5)) {
		if (lfd < 0)
			lfd = open(lock, O_RDONLY | O_CLOEXEC);
		if (lfd < 0 || fstat(lfd, &sb) || sb.st_size < 4096)
			continue;
		if (map == MAP_FAILED) {
			maplen = sb.st_size < 65536 ? sb.st_size : 65536;
			map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, lfd, 0);
			if (map == MAP_FAILED) {
				why = "mmap lock.mdb";
				goto out;
			}
		}
		word = find_word(map, maplen, pid);
	}
	if (word < 0) {
		why = "mdb_load did not take its write lock";
		verdict = "inconclusive";
		goto out;
	}
	/* Asleep in read() on the empty pipe, with the lock. */
	if (!wait_state(pid, "S", STATE_MS)) {
		why = "mdb_load did not wait for input";
		verdict = "inconclusive";
		goto out;
	}
	why = stuck_start(p[1], &thr, &stuck);
	if (why)
		goto out;
	/*
	 * mdb_load sleeps interruptibly for data. SIGSTOP ends that sleep:
	 * where the writer's reserved slot already counts as data (6.12), the
	 * read() goes on to wait for the pipe mutex at once, with the stop
	 * pending; elsewhere (7.2) it stops, and after SIGCONT the read()
	 * restarts and waits for the pipe mutex. SIGCONT also drops a pending
	 * stop.
	 */
	kill(pid, SIGSTOP);
	if (!wait_state(pid, "TD", STATE_MS)) {
		why = "mdb_load did not stop";
		verdict = "inconclusive";
		goto out;
	}
	kill(pid, SIGCONT);
	if (!wait_state(pid, "D", STATE_MS)) {
		why = "mdb_load did not block on the pipe mutex (not in D state)";
		verdict = "inconclusive";
		goto out;
	}
	/*
	 * Another writer, outside the cgroup: it opens the environment (so it
	 * is not LMDB's sole user, which would re-create the lock file) and
	 * waits for the lock: FUTEX_WAITERS is set in the word.
	 */
	dfd = open(dump, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	snprintf(buf, sizeof(buf), "%s c\n 3\nDATA=END\n", header);
	if (dfd < 0 || write(dfd, buf, strlen(buf)) != (ssize_t)strlen(buf) || lseek(dfd, 0, SEEK_SET)) {
		why = "cannot write the next writer's input";
		goto out;
	}
	next = spawn_mdb_load(dir, dfd, NULL);
	for (t = now_ms() + STATE_MS; now_ms() < t; sleep_ms(2))
		if (__atomic_load_n(&map[word], __ATOMIC_RELAXED) & FUTEX_WAITERS)
			break;
	if (next < 0 || !(map[word] & FUTEX_WAITERS)) {
		why = "the next mdb_load did not wait for the lock";
		verdict = "inconclusive";
		goto out;
	}
	rss0 = rss_anon(pid);
	printf("# %s: mdb_load %d holds the write lock (futex word at lock.mdb+%#lx = %#x), stuck in D state, RssAnon %ld kB; mdb_load %d waits for the lock\n",
	       name, pid, word * 4, map[word], rss0, next);
	t = now_ms();
	if (mrel) {
		pidfd = pidfd_open(pid);
		if (pidfd < 0 || syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0)) {
			why = "pidfd_open/pidfd_send_signal";
			goto out;
		}
		/* as a userspace OOM killer would: retry EAGAIN a few times */
		for (tries = 1; ; tries++) {
			ret = syscall(__NR_process_mrelease, pidfd, 0) ? errno : 0;
			if (ret != EAGAIN || tries == 10)
				break;
			sleep_ms(10);
		}
		printf("# %s: SIGKILL + process_mrelease(): %s after %d call(s)\n",
		       name, ret ? strerror(ret) : "0", tries);
	} else {
		pid_t hog = spawn_hog();

		if (hog < 0 || !wait_child(hog, STATE_MS * 4, &st) ||
		    !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
			why = "the cgroup's OOM did not kill the memory hog";
			verdict = "inconclusive";
			goto out;
		}
		/* the group kill: mdb_load got its SIGKILL with the hog's */
		t = now_ms();
		printf("# %s: a memory hog in mdb_load's cgroup (memory.oom.group=1) was OOM-killed\n", name);
	}
	/* Stay stuck past the reaper's old delay, then look. */
	sleep_ms(STUCK_MS - (int)(now_ms() - t));
	rss1 = rss_anon(pid);
	w0 = __atomic_load_n(&map[word], __ATOMIC_RELAXED);
	printf("# %s: %lld ms after the kill, still stuck (state %c): RssAnon %ld kB, futex word %#x\n",
	       name, (long long)(now_ms() - t), proc_state(pid), rss1, w0);
	if (proc_state(pid) != 'D') {
		why = "mdb_load was no longer stuck when the reaper had had its time";
		verdict = "inconclusive";
		goto out;
	}
	if ((w0 & FUTEX_TID_MASK) != (uint32_t)pid || (w0 & FUTEX_OWNER_DIED)) {
		why = "the lock changed while its owner was stuck";
		goto out;
	}
	if (rss1 < 0 || rss1 * 2 > rss0) {
		why = "mdb_load's memory was not reaped while it was stuck (less than half of its anonymous RSS gone)";
		verdict = "inconclusive";
		goto out;
	}
	stuck_release();
	stuck = 0;
	pthread_join(thr, NULL);
	if (!wait_child(pid, STATE_MS, &st)) {
		why = "mdb_load did not exit once the pipe was let go";
		pid = 0;
		goto out;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		why = "mdb_load was not killed (it exited on its own)";
		pid = 0;
		goto out;
	}
	victim = pid;
	pid = 0;
	w1 = __atomic_load_n(&map[word], __ATOMIC_RELAXED);
	/*
	 * The waiter, once the lock is handed over, loads its record and exits
	 * 0; "lost" needs it still waiting for the lock at the deadline.
	 */
	tn = now_ms();
	exited = wait_child(next, NEXT_MS, &st);
	next = 0;
	lost = (w1 & FUTEX_TID_MASK) == (uint32_t)victim && !(w1 & FUTEX_OWNER_DIED);
	if (exited)
		printf("# %s: mdb_load exited; futex word %#x; the waiting mdb_load %s after %lld ms more\n",
		       name, w1, WIFEXITED(st) && !WEXITSTATUS(st) ? "got the lock and finished (exit 0)" : "failed",
		       (long long)(now_ms() - tn));
	else
		printf("# %s: mdb_load exited; futex word %#x; the waiting mdb_load was still waiting %lld ms later, killed\n",
		       name, w1, (long long)(now_ms() - tn));
	if (!lost && exited && WIFEXITED(st) && !WEXITSTATUS(st))
		verdict = "kept";
	else if (lost && !exited)
		verdict = "lost";
	else
		why = "the futex word and the waiting writer disagree, or the waiter failed";
out:
	if (stuck) {
		stuck_release();
		pthread_join(thr, NULL);
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (next > 0) {
		kill(next, SIGKILL);
		waitpid(next, NULL, 0);
	}
	if (uffd >= 0)
		close(uffd);
	uffd = -1;
	if (upage && upage != MAP_FAILED)
		munmap(upage, page_size);
	upage = NULL;
	if (pidfd >= 0)
		close(pidfd);
	if (map != MAP_FAILED)
		munmap(map, maplen);
	if (lfd >= 0)
		close(lfd);
	if (dfd >= 0)
		close(dfd);
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	rmdir(CG);
	unlink(dump);
	unlink(lock);
	snprintf(buf, sizeof(buf), "%s/data.mdb", dir);
	unlink(buf);
	rmdir(dir);
	if (why)
		printf("# %s: %s\n", name, why);
	printf("# verdict: %s %s\n", name, verdict);
	return !strcmp(verdict, "inconclusive");
}

/* An inconclusive attempt (the race not set up) is tried once more. */
static void run_case_twice(const char *name)
{
	if (run_case(name)) {
		printf("# %s: inconclusive, one more attempt\n", name);
		run_case(name);
	}
}

int main(int argc, char **argv)
{
	static const char *all[] = { "lmdb_oom", "lmdb_mrelease" };
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	if (argc > 2 && !strcmp(argv[1], "-m")) {
		mdb_load = argv[2];
		i = 3;
	}
	if (access(mdb_load, X_OK)) {
		printf("# verdict: lmdb_oom error\n# verdict: lmdb_mrelease error\n# no %s\n", mdb_load);
		return 1;
	}
	if (i == argc) {
		run_case_twice(all[0]);
		run_case_twice(all[1]);
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], all[0]) && strcmp(argv[i], all[1])) {
			fprintf(stderr, "lmdb-robust: unknown case '%s' (lmdb_oom, lmdb_mrelease)\n", argv[i]);
			return 2;
		}
		run_case_twice(argv[i]);
	}
	return 0;
}
