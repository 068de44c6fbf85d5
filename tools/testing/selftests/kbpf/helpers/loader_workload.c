// SPDX-License-Identifier: GPL-2.0
/*
 * The events real loaders count in real_loaders.sh, made an exact number
 * of times: "getppid N" calls getppid() N times, "open PATH N" opens and
 * closes PATH N times, "func N" calls loader_work() N times (a uprobe's
 * target), "sleep N" sleeps a millisecond N times (context switches).
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

/* Not static, not inlined: bpftrace finds it in the symbol table. */
int loader_work(int x);

int loader_work(int x)
{
	asm volatile("" : "+r"(x));
	return x + 1;
}

int main(int argc, char **argv)
{
	const struct timespec ms = { 0, 1000000 };
	int (*work)(int) = loader_work;
	long i, n, sum = 0;

	if (argc < 3)
		goto usage;
	n = atol(argv[argc - 1]);
	asm volatile("" : "+r"(work));
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "getppid")) {
			syscall(__NR_getppid);
		} else if (!strcmp(argv[1], "open") && argc == 4) {
			int fd = open(argv[2], O_RDONLY);

			if (fd >= 0)
				close(fd);
		} else if (!strcmp(argv[1], "func")) {
			sum += work(i);
		} else if (!strcmp(argv[1], "sleep")) {
			nanosleep(&ms, NULL);
		} else {
			goto usage;
		}
	}
	return sum < 0;
usage:
	fprintf(stderr, "usage: %s getppid|func|sleep N | open PATH N\n", argv[0]);
	return 2;
}
