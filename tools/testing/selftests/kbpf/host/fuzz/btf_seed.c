// SPDX-License-Identifier: GPL-2.0
/*
 * btf_seed OBJ OUT: the BTF of a clang-built BPF object as libbpf would
 * load it (sections' sizes and variables' offsets filled in), raw, for
 * fuzz_btf's seeds.
 */
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	const void *raw;
	__u32 size;
	FILE *out;

	if (argc != 3) {
		fprintf(stderr, "usage: btf_seed OBJ OUT\n");
		return 2;
	}
	obj = bpf_object__open(argv[1]);
	if (!obj || !bpf_object__btf(obj)) {
		fprintf(stderr, "%s: no BTF\n", argv[1]);
		return 1;
	}
	raw = btf__raw_data(bpf_object__btf(obj), &size);
	out = fopen(argv[2], "wb");
	if (!raw || !out || fwrite(raw, 1, size, out) != size || fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	bpf_object__close(obj);
	return 0;
}
