// SPDX-License-Identifier: GPL-2.0
/*
 * make demo's program: a socket filter that counts the packets it sees in
 * a hash map, by size class (bytes / 64). bpftool loads it through libbpf,
 * runs it on a few inputs (BPF_PROG_TEST_RUN) and dumps the map.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} sizes SEC(".maps");

SEC("socket")
int count_sizes(struct __sk_buff *skb)
{
	__u32 class = skb->len / 64;
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&sizes, &class);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&sizes, &class, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
