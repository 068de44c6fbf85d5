/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs written as struct bpf_insn arrays, and bpf(2) itself, for the
 * selftests that need neither a library nor a compiler.
 */
#ifndef KBPF_BPF_INSNS_H
#define KBPF_BPF_INSNS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define INSN(c, d, s, o, i)						\
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define MOV_IMM(d, i)		INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV_REG(d, s)		INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD_IMM(d, i)		INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ADD_REG(d, s)		INSN(BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define RSH_IMM(d, i)		INSN(BPF_ALU64 | BPF_RSH | BPF_K, d, 0, 0, i)
#define MUL_IMM(d, i)		INSN(BPF_ALU64 | BPF_MUL | BPF_K, d, 0, 0, i)
#define LDX(sz, d, s, o)	INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST_IMM(sz, d, o, i)	INSN(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define ATOMIC_ADD(d, s, o)	INSN(BPF_STX | BPF_ATOMIC | BPF_DW, d, s, o, BPF_ADD)
#define LD_ABS(sz, i)		INSN(BPF_LD | BPF_ABS | (sz), 0, 0, 0, i)
#define JEQ_IMM(d, i, o)	INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JNE_IMM(d, i, o)	INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JA(o)			INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(f)			INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define CALL_SUB(o)		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, o)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/*
 * A 64-bit load takes two slots: LD_IMM64 with @s saying what @i names,
 * then IMM_HI with the upper half, or the map value's offset.
 */
#define LD_IMM64(d, s, i)	INSN(BPF_LD | BPF_DW | BPF_IMM, d, s, 0, i)
#define IMM_HI(i)		INSN(0, 0, 0, 0, i)
#define LD_MAP(d, fd)		LD_IMM64(d, BPF_PSEUDO_MAP_FD, fd)

static inline int sys_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

/*
 * Loads @cnt instructions as a GPL program of @type named @name, with the
 * maps of @fd_array (may be NULL). Without a log first (a long one may
 * not fit, and costs time); on a refusal again with one, which goes to
 * stderr as a TAP comment. Returns the program's fd, or -1 with the first
 * load's errno.
 */
static inline int load_insns_named(__u32 type, const struct bpf_insn *insns,
				   unsigned int cnt, const int *fd_array,
				   const char *name)
{
	static char log_buf[64 * 1024];
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = cnt;
	attr.license = (uintptr_t)"GPL";
	attr.fd_array = (uintptr_t)fd_array;
	snprintf(attr.prog_name, sizeof(attr.prog_name), "%s", name);
	fd = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0)
		return fd;
	err = errno;
	attr.log_level = 1;
	attr.log_buf = (uintptr_t)log_buf;
	attr.log_size = sizeof(log_buf);
	log_buf[0] = 0;
	fd = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
	fprintf(stderr, "# refused, errno %d:\n%s\n", err, log_buf);
	if (fd >= 0)
		close(fd);
	errno = err;
	return -1;
}

/* The same, unnamed. */
static inline int load_insns(__u32 type, const struct bpf_insn *insns,
			     unsigned int cnt, const int *fd_array)
{
	return load_insns_named(type, insns, cnt, fd_array, "");
}

#endif /* KBPF_BPF_INSNS_H */
