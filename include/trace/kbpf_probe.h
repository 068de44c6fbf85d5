/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw tracepoint glue for kbpf, generated for every trace event the way
 * the perf and ftrace glue is: define_trace.h includes this file once per
 * trace header, with the TRACE_EVENT family redefined below.
 *
 * Each event class gets a probe function of the class's prototype that
 * turns its arguments into an array of u64 and runs the program attached
 * through BPF_RAW_TRACEPOINT_OPEN; each event gets an entry in the
 * __bpf_raw_tp_map section naming its tracepoint, the probe and how many
 * arguments it has, which is how kbpf finds a raw tracepoint by name.
 */

#undef TRACE_SYSTEM_VAR

#ifdef CONFIG_KBPF

#include "stages/stage6_event_callback.h"

#undef __perf_count
#define __perf_count(c)	(c)

#undef __perf_task
#define __perf_task(t)	(t)

#include <linux/args.h>
#include <linux/build_bug.h>
#include <linux/kbpf.h>
#include <linux/string.h>

#ifndef _KBPF_PROBE_ONCE
#define _KBPF_PROBE_ONCE

/*
 * An argument as programs see it: the bytes of an integer, pointer or
 * small struct as the unsigned integer of that size, zero-extended.
 */
static __always_inline u64 __kbpf_tp_arg(const void *p, size_t size)
{
	u8 b;
	u16 h;
	u32 w;
	u64 d;

	switch (size) {
	case 1:
		memcpy(&b, p, 1);
		return b;
	case 2:
		memcpy(&h, p, 2);
		return h;
	case 4:
		memcpy(&w, p, 4);
		return w;
	default:
		memcpy(&d, p, 8);
		return d;
	}
}

/* The most arguments a tracepoint may have for kbpf, upstream's limit. */
#define KBPF_RAW_TP_MAX_ARGS	12

#define __KBPF_TP_ARG(x) ({						\
	typeof(x) __kbpf_v = (x);					\
	BUILD_BUG_ON(sizeof(__kbpf_v) != 1 && sizeof(__kbpf_v) != 2 &&	\
		     sizeof(__kbpf_v) != 4 && sizeof(__kbpf_v) != 8);	\
	__kbpf_tp_arg(&__kbpf_v, sizeof(__kbpf_v)); })

/*
 * Up to 12 arguments, upstream's limit; more fail to build. Each step
 * stores one argument in the probe's __kbpf_args[] at __kbpf_i and hands
 * on the rest; the comma operator keeps them in order.
 */
#define __KBPF_TP_SET1(x)	(__kbpf_args[__kbpf_i++] = __KBPF_TP_ARG(x))
#define __KBPF_TP_SET2(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET1(__VA_ARGS__))
#define __KBPF_TP_SET3(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET2(__VA_ARGS__))
#define __KBPF_TP_SET4(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET3(__VA_ARGS__))
#define __KBPF_TP_SET5(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET4(__VA_ARGS__))
#define __KBPF_TP_SET6(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET5(__VA_ARGS__))
#define __KBPF_TP_SET7(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET6(__VA_ARGS__))
#define __KBPF_TP_SET8(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET7(__VA_ARGS__))
#define __KBPF_TP_SET9(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET8(__VA_ARGS__))
#define __KBPF_TP_SET10(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET9(__VA_ARGS__))
#define __KBPF_TP_SET11(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET10(__VA_ARGS__))
#define __KBPF_TP_SET12(x, ...)	(__KBPF_TP_SET1(x), __KBPF_TP_SET11(__VA_ARGS__))
#define __KBPF_TP_SET(...)						\
	CONCATENATE(__KBPF_TP_SET, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)

/*
 * The slots past the event's arguments, zeroed: a program tail-called
 * from the attached one may read further than the event has arguments.
 * Only those, one store each (the count is known when this is
 * compiled): letting the compiler zero the whole array, as the kernel's
 * automatic stack initialization did, made a rep stos of 96 bytes on
 * every event.
 */
#define __KBPF_TP_Z(k)	(__kbpf_i <= (k) ? (__kbpf_args[k] = 0) : 0)
#define __KBPF_TP_ZERO_REST() do {					\
	BUILD_BUG_ON(KBPF_RAW_TP_MAX_ARGS != 12);			\
	__KBPF_TP_Z(0), __KBPF_TP_Z(1), __KBPF_TP_Z(2), __KBPF_TP_Z(3);	\
	__KBPF_TP_Z(4), __KBPF_TP_Z(5), __KBPF_TP_Z(6), __KBPF_TP_Z(7);	\
	__KBPF_TP_Z(8), __KBPF_TP_Z(9), __KBPF_TP_Z(10), __KBPF_TP_Z(11); \
} while (0)

#endif /* _KBPF_PROBE_ONCE */

#define __KBPF_TP_PROBE(class, proto, args)				\
static notrace void __kbpf_tp_probe_##class(void *__link, proto)	\
{									\
	u64 __kbpf_args[KBPF_RAW_TP_MAX_ARGS] __uninitialized;		\
	unsigned int __kbpf_i = 0;					\
									\
	__KBPF_TP_SET(args);						\
	__KBPF_TP_ZERO_REST();						\
	kbpf_raw_tp_run(__link, __kbpf_args);				\
}

/*
 * The map entry is what kbpf looks up. The class's probe must fit the
 * event's prototype and the tracepoint's: the check fails to build
 * otherwise.
 */
#define __KBPF_TP_EVENT(class, event, proto, args)			\
static struct bpf_raw_event_map __kbpf_tp_map_##event __used		\
__section("__bpf_raw_tp_map") = {					\
	.tp		= &__tracepoint_##event,			\
	.bpf_func	= __kbpf_tp_probe_##class,			\
	.num_args	= COUNT_ARGS(args),				\
};									\
static inline void __kbpf_tp_check_##event(void)			\
{									\
	void (*probe)(void *, proto) = __kbpf_tp_probe_##class;		\
									\
	check_trace_callback_type_##event(probe);			\
}

/* A tracepoint without a trace event: its own probe and entry. */
#define __KBPF_TP_TRACE(event, proto, args)				\
static notrace void __kbpf_tp_probe_##event(void *__link, proto)	\
{									\
	u64 __kbpf_args[KBPF_RAW_TP_MAX_ARGS] __uninitialized;		\
	unsigned int __kbpf_i = 0;					\
									\
	__KBPF_TP_SET(args);						\
	__KBPF_TP_ZERO_REST();						\
	kbpf_raw_tp_run(__link, __kbpf_args);				\
}									\
static struct bpf_raw_event_map __kbpf_tp_map_##event __used		\
__section("__bpf_raw_tp_map") = {					\
	.tp		= &__tracepoint_##event,			\
	.bpf_func	= __kbpf_tp_probe_##event,			\
	.num_args	= COUNT_ARGS(args),				\
}

/* The print, the record's layout and its assignment are not for us. */
#undef DECLARE_EVENT_CLASS
#define DECLARE_EVENT_CLASS(class, proto, args, ...)			\
	__KBPF_TP_PROBE(class, PARAMS(proto), PARAMS(args))

#undef DEFINE_EVENT
#define DEFINE_EVENT(class, event, proto, args)			\
	__KBPF_TP_EVENT(class, event, PARAMS(proto), PARAMS(args))

#undef DEFINE_EVENT_PRINT
#define DEFINE_EVENT_PRINT(class, event, proto, args, ...)		\
	__KBPF_TP_EVENT(class, event, PARAMS(proto), PARAMS(args))

#undef DEFINE_EVENT_WRITABLE
#define DEFINE_EVENT_WRITABLE(class, event, proto, args, ...)		\
	__KBPF_TP_EVENT(class, event, PARAMS(proto), PARAMS(args))

#undef DECLARE_TRACE
#define DECLARE_TRACE(event, proto, args)				\
	__KBPF_TP_TRACE(event, PARAMS(proto), PARAMS(args))

#undef DECLARE_TRACE_WRITABLE
#define DECLARE_TRACE_WRITABLE(event, proto, args, ...)		\
	__KBPF_TP_TRACE(event, PARAMS(proto), PARAMS(args))

#include TRACE_INCLUDE(TRACE_INCLUDE_FILE)

#undef DECLARE_TRACE_WRITABLE
#undef DEFINE_EVENT_WRITABLE
#undef __KBPF_TP_TRACE
#undef __KBPF_TP_EVENT
#undef __KBPF_TP_PROBE

#endif /* CONFIG_KBPF */
