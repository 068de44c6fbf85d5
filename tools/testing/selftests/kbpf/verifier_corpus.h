/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier corpus as "kbpf-host export-corpus" writes it for the
 * guests: the tests of tools/testing/selftests/kbpf/verifier/, assembled,
 * each with the verdict and the log the host's build of the verifier gave.
 * Integers are u32 in the byte order of the host that wrote the file
 * (little-endian, as both guests).
 *
 *	"KBPFVC4\n", the machine the host's verdicts are for (uname -m,
 *	KBPF_CORPUS_ARCH_LEN bytes, NUL-padded), u32 number of tests, then
 *	per test:
 *	u32 name length, the name (no NUL)
 *	u32 program type, u32 log level, u32 loader's capabilities
 *	(KBPF_CORPUS_CAPS_*), u32 maps, u32 instructions,
 *	u32 host verdict (0 or a negative errno), u32 log length
 *	per map, in the order the program names them (imm 0, 1, ...):
 *		u32 type, key size, value size, max entries, flags, then the
 *		same five of the map its maps are like for maps of maps
 *		(zeroes for the others), u32 length and the bytes of the
 *		value of a frozen array read-only to programs (0 for none)
 *	the instructions, 8 bytes each
 *	the log (no NUL)
 */
#ifndef KBPF_VERIFIER_CORPUS_H
#define KBPF_VERIFIER_CORPUS_H

#define KBPF_CORPUS_MAGIC	"KBPFVC4\n"
/* The loader has every capability (root). */
#define KBPF_CORPUS_CAPS_ALL	0
/* The loader has CAP_BPF alone: it may load, not leak kernel addresses. */
#define KBPF_CORPUS_CAPS_BPF	1
#define KBPF_CORPUS_ARCH_LEN	16

#endif
