// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the verifier log: attribute rules, fixed and rotating
 * truncation, rewinding, the true size, and a randomized comparison with a
 * plain string model of what userspace must end up reading.
 *
 * The buffer is real user memory (kunit_vm_mmap()), so copy_to_user() and
 * copy_from_user() run as they do for a program load. The host harness
 * runs the same file.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "log.h"

#define BUF_MAX		128
#define MODEL_MAX	2048

struct log_fixture {
	struct kbpf_log log;
	char __user *ubuf;
	char out[BUF_MAX];
	u32 true_size;
};

static char __user *user_buf(struct kunit *test)
{
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, BUF_MAX,
					   PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	KUNIT_ASSERT_NE(test, addr, 0);
	return (char __user *)addr;
}

/* Start a log of @size bytes at @level over fresh user memory. */
static struct log_fixture *start(struct kunit *test, u32 level, u32 size)
{
	struct log_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->ubuf = user_buf(test);
	KUNIT_ASSERT_EQ(test, kbpf_log_init(&f->log, level, f->ubuf, size), 0);
	return f;
}

/* Finish the log, read the buffer back; returns kbpf_log_finish()'s. */
static int finish(struct kunit *test, struct log_fixture *f)
{
	int err = kbpf_log_finish(&f->log, &f->true_size);

	KUNIT_ASSERT_EQ(test, copy_from_user(f->out, f->ubuf, BUF_MAX), 0);
	return err;
}

static void log_attr_test(struct kunit *test)
{
	char __user *ubuf = user_buf(test);
	struct kbpf_log log;

	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 0, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 1, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 2, ubuf, 1), 0);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, KBPF_LOG_MASK, ubuf, 64), 0);
	/* A buffer without a level, a size without a buffer, and so on. */
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 0, ubuf, 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 1, NULL, 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 1, ubuf, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 16, ubuf, 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, kbpf_log_init(&log, 1, ubuf, (U32_MAX >> 2) + 1),
			-EINVAL);
}

static void log_fits_test(struct kunit *test)
{
	struct log_fixture *f = start(test, 1, 16);

	kbpf_log(&f->log, "%s=%d\n", "r1", 5);
	kbpf_log(&f->log, "ok\n");
	KUNIT_EXPECT_EQ(test, finish(test, f), 0);
	KUNIT_EXPECT_STREQ(test, f->out, "r1=5\nok\n");
	KUNIT_EXPECT_EQ(test, f->true_size, 9);
}

static void log_fixed_test(struct kunit *test)
{
	struct log_fixture *f = start(test, 1 | KBPF_LOG_FIXED, 8);

	kbpf_log(&f->log, "0123");
	kbpf_log(&f->log, "456789");
	kbpf_log(&f->log, "abc");
	KUNIT_EXPECT_EQ(test, finish(test, f), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, f->out, "0123456");
	KUNIT_EXPECT_EQ(test, f->true_size, 14);
}

static void log_rotating_test(struct kunit *test)
{
	struct log_fixture *f = start(test, 2, 10);

	kbpf_log(&f->log, "aaaa");
	kbpf_log(&f->log, "bbbb");
	kbpf_log(&f->log, "cccc");
	KUNIT_EXPECT_EQ(test, finish(test, f), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, f->out, "abbbbcccc");
	KUNIT_EXPECT_EQ(test, f->true_size, 13);

	/* Exactly full is not truncated. */
	f = start(test, 1, 5);
	kbpf_log(&f->log, "ab");
	kbpf_log(&f->log, "cd");
	KUNIT_EXPECT_EQ(test, finish(test, f), 0);
	KUNIT_EXPECT_STREQ(test, f->out, "abcd");
	KUNIT_EXPECT_EQ(test, f->true_size, 5);
}

static void log_rewind_test(struct kunit *test)
{
	struct log_fixture *f = start(test, 1, 32);
	u64 pos;

	kbpf_log(&f->log, "keep");
	pos = kbpf_log_pos(&f->log);
	kbpf_log(&f->log, " drop this");
	kbpf_log_rewind(&f->log, pos);
	kbpf_log(&f->log, "!");
	KUNIT_EXPECT_EQ(test, finish(test, f), 0);
	KUNIT_EXPECT_STREQ(test, f->out, "keep!");
	/* The dropped text once needed the room. */
	KUNIT_EXPECT_EQ(test, f->true_size, 15);
}

static void log_no_buffer_test(struct kunit *test)
{
	struct kbpf_log log;
	u32 true_size;

	/* A level without a buffer measures: libbpf sizes its buffer so. */
	KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, 1, NULL, 0), 0);
	kbpf_log(&log, "%d", 12345);
	KUNIT_EXPECT_EQ(test, kbpf_log_finish(&log, &true_size), 0);
	KUNIT_EXPECT_EQ(test, true_size, 6);

	/* No level, no log. */
	KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, 0, NULL, 0), 0);
	kbpf_log(&log, "ignored");
	KUNIT_EXPECT_EQ(test, kbpf_log_finish(&log, &true_size), 0);
	KUNIT_EXPECT_EQ(test, true_size, 0);
}

static void log_long_line_test(struct kunit *test)
{
	struct kbpf_log log;
	u32 true_size;

	/* One message is cut at KBPF_LOG_LINE_SIZE - 1 bytes. */
	KUNIT_ASSERT_EQ(test, kbpf_log_init(&log, 1, NULL, 0), 0);
	kbpf_log(&log, "%2000s", "x");
	KUNIT_EXPECT_EQ(test, kbpf_log_finish(&log, &true_size), 0);
	KUNIT_EXPECT_EQ(test, true_size, KBPF_LOG_LINE_SIZE);
}

static u32 next_random(u32 *state)
{
	/* xorshift32: the same sequence on every machine */
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * The model: the whole log as a string, and for rotating mode the offset
 * of the first byte the ring still holds. The buffer must end up as the
 * model's text from there (rotating) or its first bytes (fixed).
 */
struct log_model {
	char text[MODEL_MAX];
	u32 len, start, true_size;
};

static void model_append(struct log_model *m, const char *s, u32 size)
{
	u32 n = strlen(s);

	memcpy(m->text + m->len, s, n + 1);
	m->len += n;
	m->true_size = max(m->true_size, m->len + 1);
	if (m->len + 1 > m->start + size)
		m->start = m->len + 1 - size;
}

static void run_random_case(struct kunit *test, u32 *seed, bool fixed)
{
	u32 size = 1 + next_random(seed) % 40, i, steps, n, want_size;
	u32 level = 1 | (fixed ? KBPF_LOG_FIXED : 0);
	struct log_fixture *f = start(test, level, size);
	struct log_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	char msg[24], want[BUF_MAX];
	u64 marks[4] = {};
	int err;

	KUNIT_ASSERT_NOT_NULL(test, m);
	steps = 1 + next_random(seed) % 30;
	for (i = 0; i < steps && m->len < MODEL_MAX - sizeof(msg); i++) {
		u32 r = next_random(seed);

		if (r % 5 == 0) {
			/* Rewind to a position marked earlier. */
			u64 pos = marks[r / 5 % ARRAY_SIZE(marks)];

			if (pos > m->len)
				continue;
			kbpf_log_rewind(&f->log, pos);
			m->len = pos;
			m->text[pos] = '\0';
			m->start = min(m->start, m->len);
			continue;
		}
		if (r % 5 == 1)
			marks[r / 5 % ARRAY_SIZE(marks)] = kbpf_log_pos(&f->log);
		n = r / 7 % (sizeof(msg) - 1);
		memset(msg, 'a' + i % 26, n);
		msg[n] = '\0';
		kbpf_log(&f->log, "%s", msg);
		model_append(m, msg, size);
	}

	err = finish(test, f);
	KUNIT_EXPECT_EQ(test, f->true_size, m->true_size);
	KUNIT_EXPECT_EQ(test, err, m->true_size > size ? -ENOSPC : 0);
	if (fixed)
		strscpy(want, m->text, size);
	else
		strscpy(want, m->text + m->start, size);
	want_size = strlen(want) + 1;
	KUNIT_EXPECT_EQ_MSG(test, memcmp(f->out, want, want_size), 0,
			    "%s log of %u bytes: got \"%.*s\", want \"%s\"",
			    fixed ? "fixed" : "rotating", size, (int)size,
			    f->out, want);
}

static void log_random_test(struct kunit *test)
{
	u32 seed = 0x1b9f2c3d;
	int i;

	for (i = 0; i < 300; i++)
		run_random_case(test, &seed, i & 1);
}

static struct kunit_case kbpf_log_test_cases[] = {
	KUNIT_CASE(log_attr_test),
	KUNIT_CASE(log_fits_test),
	KUNIT_CASE(log_fixed_test),
	KUNIT_CASE(log_rotating_test),
	KUNIT_CASE(log_rewind_test),
	KUNIT_CASE(log_no_buffer_test),
	KUNIT_CASE(log_long_line_test),
	KUNIT_CASE(log_random_test),
	{}
};

static struct kunit_suite kbpf_log_test_suite = {
	.name = "kbpf_log",
	.test_cases = kbpf_log_test_cases,
};

kunit_test_suite(kbpf_log_test_suite);

MODULE_DESCRIPTION("KUnit tests for the kbpf verifier log");
MODULE_LICENSE("GPL");
