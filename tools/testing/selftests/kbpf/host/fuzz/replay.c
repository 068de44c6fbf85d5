// SPDX-License-Identifier: GPL-2.0
/*
 * A libFuzzer target without libFuzzer, for a build whose compiler has no
 * libFuzzer runtime (the arm64 harness, cross-built with gcc and run
 * under qemu-aarch64):
 *
 *	replay [-seconds=N] [-seed=S] DIR...
 *
 * runs every file of the DIRs through the target (the corpus the x86-64
 * libFuzzer runs grew, and the seeds), then, for N seconds (default 0),
 * inputs made from them by a generator seeded with S (default 1): a few
 * bytes overwritten, instructions duplicated or dropped, two inputs
 * spliced. The target aborts on what it finds, so a failing input is
 * written to crash-replay before each run. Ends with "N passed, N failed"
 * (one check: the whole run).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int KBPF_FUZZ_ENTRY(const uint8_t *data, size_t size);

struct input {
	uint8_t *data;
	size_t size;
};

static struct input *inputs;
static size_t nr_inputs, cap_inputs;
static uint64_t rng;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void add_input(uint8_t *data, size_t size)
{
	if (nr_inputs == cap_inputs) {
		cap_inputs = cap_inputs ? 2 * cap_inputs : 256;
		inputs = realloc(inputs, cap_inputs * sizeof(*inputs));
		if (!inputs)
			abort();
	}
	inputs[nr_inputs].data = data;
	inputs[nr_inputs++].size = size;
}

static void read_dir(const char *path)
{
	struct dirent *de;
	DIR *dir = opendir(path);

	if (!dir) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return;
	}
	while ((de = readdir(dir))) {
		char name[4096];
		uint8_t *data;
		long size;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", path, de->d_name);
		f = fopen(name, "rb");
		if (!f)
			continue;
		size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
		if (size <= 0 || fseek(f, 0, SEEK_SET)) {
			fclose(f);
			continue;
		}
		data = malloc(size);
		if (!data || fread(data, 1, size, f) != (size_t)size)
			abort();
		fclose(f);
		add_input(data, size);
	}
	closedir(dir);
}

/* The input about to run, where it can be found if the run aborts. */
static void save(const uint8_t *data, size_t size)
{
	FILE *f = fopen("crash-replay", "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

/* One input made from the corpus: its two header bytes, then insns. */
static size_t mutate(uint8_t *out, size_t max)
{
	const struct input *a = &inputs[next_random() % nr_inputs];
	const struct input *b = &inputs[next_random() % nr_inputs];
	size_t size = a->size < max ? a->size : max, i, n;

	memcpy(out, a->data, size);
	switch (next_random() % 4) {
	case 0:		/* splice: b's tail after a's head */
		n = 2 + (size > 2 ? next_random() % (size - 1) : 0);
		if (n > size)
			n = size;
		i = b->size > n ? b->size - n : 0;
		if (n + i > max)
			i = max - n;
		memcpy(out + n, b->data + b->size - i, i);
		size = n + i;
		break;
	case 1:		/* an instruction repeated */
		if (size >= 10 && size + 8 <= max) {
			i = 2 + (next_random() % ((size - 2) / 8)) * 8;
			memmove(out + i + 8, out + i, size - i);
			size += 8;
		}
		break;
	case 2:		/* an instruction dropped */
		if (size >= 18) {
			i = 2 + (next_random() % ((size - 2) / 8)) * 8;
			memmove(out + i, out + i + 8, size - i - 8);
			size -= 8;
		}
		break;
	}
	/* And up to four bytes overwritten. */
	for (n = next_random() % 5; n && size; n--)
		out[next_random() % size] = next_random();
	return size;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 0, runs = 0;
	uint8_t buf[8192];
	time_t end;
	int i;

	rng = 1;
	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-seconds=", 9))
			seconds = strtoul(argv[i] + 9, NULL, 0);
		else if (!strncmp(argv[i], "-seed=", 6))
			rng = strtoull(argv[i] + 6, NULL, 0) ?: 1;
		else
			read_dir(argv[i]);
	}
	if (!nr_inputs) {
		fprintf(stderr, "replay: no inputs\n");
		printf("0 passed, 1 failed\n");
		return 1;
	}
	for (size_t k = 0; k < nr_inputs; k++) {
		save(inputs[k].data, inputs[k].size);
		KBPF_FUZZ_ENTRY(inputs[k].data, inputs[k].size);
		runs++;
	}
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		size_t size = mutate(buf, sizeof(buf));

		save(buf, size);
		KBPF_FUZZ_ENTRY(buf, size);
		runs++;
	}
	remove("crash-replay");
	fprintf(stderr, "replay: %zu inputs replayed, %lu runs in all\n",
		nr_inputs, runs);
	printf("1 passed, 0 failed\n");
	return 0;
}
