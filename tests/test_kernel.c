/* test_kernel.c -- ordering, ties, cancellation, the hold path and sequence renumbering. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "clustersim/kernel.h"
#include "clustersim/rng.h"

static char seen[64];
static size_t n_seen;

static void record(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    (void)model;
    if (n_seen < sizeof seen)
        seen[n_seen++] = (char)p.a;
}

static cs_kernel *kernel_for_test(void)
{
    n_seen = 0;
    memset(seen, 0, sizeof seen);
    cs_kernel *k = cs_kernel_new(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    return k;
}

static void test_equal_times_run_in_scheduling_order(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    cs_kernel_at(k, 5 * CS_MS, h, (cs_payload){.a = 'b'});
    cs_event_id gone = cs_kernel_at(k, 5 * CS_MS, h, (cs_payload){.a = 'x'});
    cs_kernel_at(k, 5 * CS_MS, h, (cs_payload){.a = 'c'});
    cs_kernel_at(k, 1 * CS_MS, h, (cs_payload){.a = 'a'});
    CU_ASSERT_EQUAL(cs_kernel_pending(k), 4);
    CU_ASSERT_TRUE(cs_kernel_cancel(k, gone));
    CU_ASSERT_FALSE(cs_kernel_cancel(k, gone));   /* a spent id stays spent */
    CU_ASSERT_EQUAL(cs_kernel_pending(k), 3);
    CU_ASSERT_EQUAL(cs_kernel_run(k, CS_SECOND), 3);
    CU_ASSERT_NSTRING_EQUAL(seen, "abc", 3);
    CU_ASSERT_EQUAL(cs_kernel_now(k), CS_SECOND);  /* the clock stops at the horizon */
    CU_ASSERT_EQUAL(cs_kernel_pending(k), 0);
    cs_kernel_free(k);
}

/* A delay past the last representable instant saturates at CS_TIME_MAX instead of wrapping:
 * the event is pending but never runs, even with the horizon at CS_TIME_MAX. */
static void test_a_delay_past_the_end_of_time_never_runs(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    cs_kernel_at(k, 3 * CS_HOUR, h, (cs_payload){.a = 'a'});
    CU_ASSERT_EQUAL(cs_kernel_run(k, 4 * CS_HOUR), 1);
    CU_ASSERT_NOT_EQUAL(cs_kernel_after(k, CS_TIME_MAX, h, (cs_payload){.a = 'x'}), 0);
    CU_ASSERT_NOT_EQUAL(cs_kernel_after(k, CS_TIME_MAX - 2 * CS_HOUR, h, (cs_payload){.a = 'y'}), 0);
    cs_kernel_after(k, CS_SECOND, h, (cs_payload){.a = 'b'});
    CU_ASSERT_EQUAL(cs_kernel_pending(k), 3);
    CU_ASSERT_EQUAL(cs_kernel_run(k, CS_TIME_MAX), 1);
    CU_ASSERT_NSTRING_EQUAL(seen, "ab", 2);
    CU_ASSERT_EQUAL(cs_kernel_now(k), CS_TIME_MAX);
    cs_kernel_free(k);
}

static void test_horizon_is_exclusive_and_run_resumes(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    cs_kernel_at(k, 10, h, (cs_payload){.a = 'a'});
    cs_kernel_at(k, 20, h, (cs_payload){.a = 'b'});
    cs_kernel_at(k, 30, h, (cs_payload){.a = 'c'});
    CU_ASSERT_EQUAL(cs_kernel_run(k, 20), 1);      /* t = 20 is not < 20 */
    CU_ASSERT_EQUAL(cs_kernel_now(k), 20);
    CU_ASSERT_EQUAL(cs_kernel_run(k, 31), 2);
    CU_ASSERT_NSTRING_EQUAL(seen, "abc", 3);
    cs_kernel_free(k);
}

/* A handler that reschedules itself twice, cancels the second, and records its time. */
struct chain {
    cs_handler self;
    cs_time times[8];
    int n;
    cs_event_id pending;
};

static void chain_step(cs_kernel *k, void *model, cs_payload p)
{
    struct chain *c = model;
    c->times[c->n++] = cs_kernel_now(k);
    CU_ASSERT_FALSE(cs_kernel_cancel(k, c->pending));   /* the running event's id is spent */
    if (p.a == 0)
        return;
    c->pending = cs_kernel_after(k, 100, c->self, (cs_payload){.a = p.a - 1});
    cs_event_id extra = cs_kernel_after(k, 50, c->self, (cs_payload){.a = 0});
    CU_ASSERT_TRUE(cs_kernel_cancel(k, extra));
}

static void test_handlers_reschedule_and_cancel_from_inside(void)
{
    cs_kernel *k = kernel_for_test();
    struct chain c = {0};
    c.self = cs_kernel_on(k, "chain", chain_step, &c);
    c.pending = cs_kernel_at(k, 0, c.self, (cs_payload){.a = 3});
    CU_ASSERT_EQUAL(cs_kernel_run(k, CS_SECOND), 4);
    CU_ASSERT_EQUAL(c.n, 4);
    CU_ASSERT_EQUAL(c.times[0], 0);
    CU_ASSERT_EQUAL(c.times[1], 100);
    CU_ASSERT_EQUAL(c.times[3], 300);
    CU_ASSERT_STRING_EQUAL(cs_kernel_handler_name(k, c.self), "chain");
    cs_kernel_free(k);
}

static void stopper(cs_kernel *k, void *model, cs_payload p)
{
    (void)model;
    (void)p;
    cs_kernel_stop(k);
}

static void test_stop_returns_after_the_current_event(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    cs_handler s = cs_kernel_on(k, "stop", stopper, NULL);
    cs_kernel_at(k, 1, h, (cs_payload){.a = 'a'});
    cs_kernel_at(k, 2, s, (cs_payload){0});
    cs_kernel_at(k, 3, h, (cs_payload){.a = 'b'});
    CU_ASSERT_EQUAL(cs_kernel_run(k, 100), 2);
    CU_ASSERT_EQUAL(cs_kernel_now(k), 2);
    CU_ASSERT_EQUAL(cs_kernel_run(k, 100), 1);
    CU_ASSERT_NSTRING_EQUAL(seen, "ab", 2);
    cs_kernel_free(k);
}

static int observed;
static void observe(void *ctx, cs_kernel *k, cs_handler h)
{
    (void)k;
    (void)h;
    observed += *(int *)ctx;
}

static void test_observers_see_every_event(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    int one = 1;
    observed = 0;
    CU_ASSERT_TRUE(cs_kernel_observe(k, observe, &one));
    for (int i = 0; i < 5; i++)
        cs_kernel_at(k, i, h, (cs_payload){.a = 'a'});
    cs_kernel_cancel(k, cs_kernel_at(k, 2, h, (cs_payload){.a = 'z'}));
    cs_kernel_run(k, 10);
    CU_ASSERT_EQUAL(observed, 5);   /* a cancelled event is not an event */
    cs_kernel_free(k);
}

/* Random schedules and cancels against a plain array reference model: the kernel must
 * run exactly the surviving events, sorted by (time, schedule order). */
struct ref_event {
    cs_time t;
    uint32_t order;
    bool cancelled;
    cs_event_id id;
};

static uint32_t ran_order[4096];
static size_t n_ran;
static void log_order(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    (void)model;
    ran_order[n_ran++] = p.a;
}

static void test_random_schedules_match_a_sorted_reference(void)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        gsl_rng *r = cs_rng_new(seed, 0, CS_STREAM_SCHED);
        cs_kernel *k = cs_kernel_new(0);
        cs_handler h = cs_kernel_on(k, "log", log_order, NULL);
        static struct ref_event ev[2000];
        size_t n = 1000 + gsl_rng_uniform_int(r, 1000);
        for (size_t i = 0; i < n; i++) {
            ev[i] = (struct ref_event){.t = (cs_time)gsl_rng_uniform_int(r, 50), .order = (uint32_t)i};
            ev[i].id = cs_kernel_at(k, ev[i].t, h, (cs_payload){.a = (uint32_t)i});
            if (i > 0 && gsl_rng_uniform(r) < 0.2) {
                size_t j = gsl_rng_uniform_int(r, i);
                CU_ASSERT_EQUAL(cs_kernel_cancel(k, ev[j].id), !ev[j].cancelled);
                ev[j].cancelled = true;
            }
        }
        n_ran = 0;
        cs_kernel_run(k, CS_SECOND);
        size_t expect = 0;
        for (cs_time t = 0; t < 50; t++)
            for (size_t i = 0; i < n; i++)
                if (ev[i].t == t && !ev[i].cancelled) {
                    if (expect < n_ran && ran_order[expect] != i)
                        CU_FAIL("order differs from the (time, seq) reference");
                    expect++;
                }
        CU_ASSERT_EQUAL(n_ran, expect);
        cs_kernel_free(k);
        gsl_rng_free(r);
    }
}

static void test_sequence_renumbering_keeps_fifo_ties(void)
{
    cs_kernel *k = kernel_for_test();
    cs_handler h = cs_kernel_on(k, "record", record, NULL);
    cs_kernel_set_seq_for_test(k, UINT32_MAX - 2);
    const char *order = "abcdefgh";
    for (int i = 0; i < 8; i++)   /* crosses the renumbering point midway */
        cs_kernel_at(k, i % 2 == 0 ? 7 : 5, h, (cs_payload){.a = (uint32_t)order[i]});
    CU_ASSERT_EQUAL(cs_kernel_run(k, 10), 8);
    CU_ASSERT_NSTRING_EQUAL(seen, "bdfhaceg", 8);
    cs_kernel_free(k);
}

static CU_TestInfo tests[] = {
    {"equal times run in scheduling order", test_equal_times_run_in_scheduling_order},
    {"a delay past the end of time never runs", test_a_delay_past_the_end_of_time_never_runs},
    {"the horizon is exclusive and a run resumes", test_horizon_is_exclusive_and_run_resumes},
    {"handlers reschedule and cancel from inside", test_handlers_reschedule_and_cancel_from_inside},
    {"stop returns after the current event", test_stop_returns_after_the_current_event},
    {"observers see every event", test_observers_see_every_event},
    {"random schedules match a sorted reference", test_random_schedules_match_a_sorted_reference},
    {"sequence renumbering keeps FIFO ties", test_sequence_renumbering_keeps_fifo_ties},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_kernel_suite = {.pName = "kernel", .pTests = tests};
