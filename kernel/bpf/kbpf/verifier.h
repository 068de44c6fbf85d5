/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier's shared state: the program under check, what is known
 * about each instruction, and its subprograms. Each pass of the verifier
 * (structure, exploration, lowering) lives in its own file and works on a
 * struct kbpf_verifier_env.
 */
#ifndef _KBPF_VERIFIER_H
#define _KBPF_VERIFIER_H

#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/linux/bpf.h>

#include "log.h"

/*
 * Upstream's kernel-internal "not supported" errno, 524, which reaches
 * userspace from some commands: kbpf returns it where upstream does.
 */
#define KBPF_ENOTSUPP		524

/* Most instructions a program may have (upstream's privileged limit). */
#define KBPF_MAX_INSNS		1000000
/* Most subprograms, the main program included (upstream's limit). */
#define KBPF_MAX_SUBPROGS	256
/* Deepest chain of bpf-to-bpf calls, in frames (upstream's limit). */
#define KBPF_MAX_CALL_FRAMES	8

/* struct kbpf_insn_aux.flags */
#define KBPF_AUX_SECOND_SLOT	BIT(0)	/* the second half of an LD_IMM64 */
#define KBPF_AUX_REACHABLE	BIT(1)	/* some path from the entry runs it */
#define KBPF_AUX_JUMP_TARGET	BIT(2)	/* paths meet here: a pruning point */
#define KBPF_AUX_CALL_MAPS	BIT(3)	/* a helper call given different maps */

/**
 * struct kbpf_map_desc - what the verifier needs to know of a map
 * @type: its BPF_MAP_TYPE_*
 * @key_size: bytes in a key (0 for the types without keys)
 * @value_size: bytes in a value
 * @max_entries: entries it holds
 * @flags: its BPF_F_* creation flags (BPF_F_RDONLY_PROG matters here)
 * @inner: for maps of maps, what every map it holds is like: a lookup
 *	in it gives one of them (or NULL)
 * @frozen: for an array of one entry that is frozen and read-only to
 *	programs, its value: it never changes, so loads from it at known
 *	offsets give known numbers (libbpf's .rodata); NULL otherwise
 *
 * The map objects embed one; the verifier never sees more of them.
 */
struct kbpf_map_desc {
	u32 type;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	const struct kbpf_map_desc *inner;
	const u8 *frozen;
};

/**
 * struct kbpf_insn_aux - what the verifier knows about one instruction
 * @flags: KBPF_AUX_*
 * @subprog: index of the subprogram the instruction belongs to
 * @live: the registers some path from here reads before writing, a
 *	bit per register (liveness.c)
 * @base_type: for a load, store or atomic, what the first path to run it
 *	accessed through (enum kbpf_reg_type), 0 before: a context access
 *	may be rewritten when lowering, so no path may reach the same
 *	instruction with the context and another pointer
 * @map: for an LD_IMM64 that names a map, the map (a fact for lowering:
 *	the loader puts its address, or its value's, in the instruction)
 * @call_map: for a helper call taking a map, the map the first path to
 *	run it gave; KBPF_AUX_CALL_MAPS when another path gave another (a
 *	fact for the JIT: a call always given one map may call that map
 *	type's own function, or inline it)
 */
struct kbpf_insn_aux {
	u8 flags;
	u16 subprog;
	u16 live;
	u8 base_type;
	const struct kbpf_map_desc *map;
	const struct kbpf_map_desc *call_map;
};

/**
 * struct kbpf_subprog - a function of the program
 * @start: index of its first instruction
 * @frames: frames of the deepest call chain starting here, itself included
 * @visit: call graph walk: 0 not seen, 1 on the current chain, 2 done
 * @caller: call graph walk: the subprogram that called this one
 * @resume: call graph walk: where to go on scanning this one for calls
 * @stack_depth: bytes of its frame's stack the program uses, a multiple of 8
 */
struct kbpf_subprog {
	u32 start;
	u32 frames;
	u8 visit;
	u16 caller;
	u32 resume;
	u32 stack_depth;
};

/**
 * struct kbpf_verifier_env - one verification
 * @insns: the program
 * @len: instruction slots in @insns
 * @prog_type: the program's BPF_PROG_TYPE_*; set after init, UNSPEC before
 * @log: where messages go
 * @aux: one entry per slot of @insns
 * @subprogs: the subprograms sorted by start, with a sentinel whose start
 *	is @len after the last
 * @nr_subprogs: subprograms, the main program included
 * @find_map: the map an LD_IMM64 names by its source (BPF_PSEUDO_MAP_FD,
 *	_IDX, _VALUE or _IDX_VALUE) and imm, or an ERR_PTR() (-EBADF for
 *	no such map); NULL when the caller has no maps to give
 * @owner: the caller's, for @find_map
 * @insns_processed: instructions the exploration went through, over all
 *	paths (upstream's verified_insns)
 * @ctx_end: bytes of its context the program may touch: the end of its
 *	farthest context access (hooks with a shorter context refuse it)
 * @allow_ptr_leaks: the loader may read kernel addresses (upstream's rule:
 *	CAP_PERFMON): the program may turn pointers into numbers others
 *	read (map values, the context, its return value, part of a pointer)
 * @allow_uninit_stack: the same loaders may read stack bytes the program
 *	never wrote (upstream's rule): they hold what the kernel left there
 * @line_info: the program's source lines, checked, by first instruction;
 *	the log shows each line before its instructions
 * @nr_line_info: records in @line_info, 0 without them
 * @line_strs: the BTF strings @line_info's offsets point into
 */
struct kbpf_verifier_env {
	const struct bpf_insn *insns;
	u32 len;
	u32 prog_type;
	struct kbpf_log *log;
	struct kbpf_insn_aux *aux;
	struct kbpf_subprog subprogs[KBPF_MAX_SUBPROGS + 1];
	u32 nr_subprogs;
	const struct kbpf_map_desc *(*find_map)(void *owner, u8 src, s32 imm);
	void *owner;
	u32 insns_processed;
	u32 ctx_end;
	bool allow_ptr_leaks;
	bool allow_uninit_stack;
	const struct bpf_line_info *line_info;
	u32 nr_line_info;
	const char *line_strs;
};

/* What a helper's argument must be. */
enum kbpf_arg {
	KBPF_ARG_NONE,		/* no more arguments */
	KBPF_ARG_ANYTHING,	/* any initialized register */
	KBPF_ARG_PRINTK_VALUE,	/* what a format may print: any register,
				 * unset too where the loader may read kernel
				 * data (the format may not name it)
				 */
	KBPF_ARG_MEM,		/* memory the helper reads: initialized */
	KBPF_ARG_UNINIT_MEM,	/* memory the helper writes */
	KBPF_ARG_SIZE,		/* the size of the memory before it, > 0 */
	KBPF_ARG_SIZE_OR_ZERO,	/* the same, and it may be 0 */
	KBPF_ARG_CTX,		/* the program's context, as it came */
	KBPF_ARG_MAP,		/* a map the helper works on */
	KBPF_ARG_MAP_KEY,	/* a key of that map, initialized */
	KBPF_ARG_MAP_VALUE,	/* a value of that map, initialized */
	KBPF_ARG_MAP_VALUE_OUT,	/* room for a value of that map */
	KBPF_ARG_ALLOC_SIZE,	/* a known number: bytes the call reserves */
	KBPF_ARG_RESERVED,	/* a reserved record, which the call releases */
	KBPF_ARG_CONST_STR,	/* a string in a frozen value, NUL inside it */
	KBPF_ARG_FORMAT,	/* such a string, a format whose arguments are
				 * the array and size of the next two
				 */
	KBPF_ARG_FORMAT_ARGS,	/* those arguments: memory read whole, u64s,
				 * pointers among them (%s, %p)
				 */
};

/* What a helper returns. */
enum kbpf_ret {
	KBPF_RET_NUMBER,		/* a number */
	KBPF_RET_SIZE_OR_ERRNO,		/* bytes written, at most the size
					 * argument, or a negative errno
					 */
	KBPF_RET_MAP_VALUE_OR_NULL,	/* a value of its map, or NULL */
	KBPF_RET_MEM_OR_NULL,		/* a record of the reserved size, or NULL */
};

/**
 * struct kbpf_helper_proto - a helper as the verifier checks calls to it
 * @name: its name in the ABI, without "bpf_"
 * @args: what r1 to r5 must hold, enum kbpf_arg
 * @ret: what it returns in r0, enum kbpf_ret
 */
struct kbpf_helper_proto {
	const char *name;
	u8 args[5];
	u8 ret;
};

int kbpf_verifier_env_init(struct kbpf_verifier_env *env,
			   const struct bpf_insn *insns, u32 len,
			   struct kbpf_log *log);
void kbpf_verifier_env_free(struct kbpf_verifier_env *env);
int kbpf_check_structure(struct kbpf_verifier_env *env);
void kbpf_compute_liveness(struct kbpf_verifier_env *env);
int kbpf_explore(struct kbpf_verifier_env *env);
const char *kbpf_ctx_access(u32 prog_type, s32 off, u32 size, bool write);
const struct kbpf_helper_proto *kbpf_helper_proto(u32 prog_type, s32 id);
bool kbpf_helper_needs_function(u32 prog_type, s32 id);
bool kbpf_helper_map_ok(s32 id, u32 map_type);
bool kbpf_helper_writes_map(s32 id);
bool kbpf_helper_reads_map(s32 id);
const char *kbpf_helper_name(s32 id);
int kbpf_verify(struct kbpf_verifier_env *env);
void kbpf_lower_calls(const struct kbpf_verifier_env *env,
		      struct bpf_insn *insns);

#endif /* _KBPF_VERIFIER_H */
