/* test_sched_queue.c -- the scheduling queue against times worked out by hand from
 * pkg/scheduler/internal/queue/scheduling_queue.go: backoff 1 s doubling to 10 s (by attempts),
 * backoffQ flushed on whole seconds, unschedulablePods left until an event one of the rejecting
 * plugins registers for, or 5 min (flushed every 30 s). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/sched.h"
#include "test_util.h"

/* One node of 1 CPU, full with `fill`'s pod; `wait` pods need 1 CPU and fit nowhere. */
#define QUEUE_SCENARIO(sched)                                                                                    \
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: q}\nspec:\n  duration: 20m\n" sched \
    "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '1', memory: 8Gi}}]\n"                 \
    "  workloads:\n"                                                                                             \
    "    - {name: fill, replicas: 1, resources: {requests: {cpu: '1'}}}\n"                                      \
    "    - {name: wait, replicas: 0, resources: {requests: {cpu: '1'}}}\n"

typedef struct attempts {
    cs_time t[32];
    uint32_t n;
} attempts;

static void record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    (void)f;
    (void)n;
    attempts *a = ctx;
    if (strcmp(type, "pod.unschedulable") == 0 && a->n < 32)
        a->t[a->n++] = t;
}

/* A cluster event of kind p.a every p.x nanoseconds (p.b: this handler). */
static void ticker(cs_kernel *k, void *model, cs_payload p)
{
    cs_sched_cluster_event(model, p.a);
    cs_kernel_after(k, p.x, p.b, p);
}

/* Runs the scenario with one `wait` pod queued at `queued`, cluster events of kind `event`
 * (0: none) every `period` from `first`, until `until`; returns the times of its failed attempts. */
static attempts run_queue(const char *yaml, uint32_t event, cs_time first, cs_time period, cs_time until)
{
    attempts a = {0};
    cs_trace_sink sink = {.fn = record, .ctx = &a};
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    cs_sched_enqueue(w, cs_pod_create(w, 1));
    if (event != 0) {
        cs_handler h = cs_kernel_on(w->kernel, "test.ticker", ticker, w);
        cs_kernel_at(w->kernel, first, h, (cs_payload){.a = event, .b = h, .x = period});
    }
    cs_kernel_run(w->kernel, until);
    cs_world_free(w);
    cs_config_free(cfg);
    return a;
}

static void expect_times(const attempts *a, const double *want_s, uint32_t n)
{
    CU_ASSERT_FATAL(a->n >= n);
    for (uint32_t i = 0; i < n; i++) {
        if (a->t[i] != (cs_time)(want_s[i] * 1e9))
            fprintf(stderr, "\nattempt %u at %.3f s, expected %.3f s\n", i, (double)a->t[i] / 1e9, want_s[i]);
        CU_ASSERT_EQUAL(a->t[i], (cs_time)(want_s[i] * 1e9));
    }
}

static void test_backoff_doubles_from_1_s_to_10_s(void)
{
    /* An assigned-pod deletion every 0.5 s, which NodeResourcesFit registers for, moves the pod
     * out of unschedulablePods half a second after each failure, still backing off, so each
     * retry comes at the failure time plus calculateBackoffDuration: attempts 1..6 give 1, 2,
     * 4, 8, then 16 capped to 10, 10 s. */
    attempts a = run_queue(QUEUE_SCENARIO(""), CS_EVENT_ASSIGNED_POD_DELETE, CS_SECOND / 2, CS_SECOND / 2,
                           40 * CS_SECOND);
    static const double want[] = {0, 1, 3, 7, 15, 25, 35};
    expect_times(&a, want, 7);
    CU_ASSERT_EQUAL(a.n, 7);
}

static void test_backoff_durations_are_configurable(void)
{
    /* podInitialBackoffSeconds 2, podMaxBackoffSeconds 5: 2, 4, then 8 capped to 5. */
    attempts a = run_queue(QUEUE_SCENARIO("  scheduler: {podInitialBackoffSeconds: 2, podMaxBackoffSeconds: 5}\n"),
                           CS_EVENT_ASSIGNED_POD_DELETE, CS_SECOND / 2, CS_SECOND / 2, 20 * CS_SECOND);
    static const double want[] = {0, 2, 6, 11, 16};
    expect_times(&a, want, 5);
}

static void test_an_event_after_the_backoff_retries_at_once(void)
{
    /* The first event, at 5.25 s, finds the 1 s backoff over: straight to activeQ, retried at
     * 5.25 s. The next one, at 5.75 s, finds it backing off (2 s, to 7.25 s): backoffQ, which
     * is flushed on whole seconds, so the retry is at 8 s. */
    attempts a = run_queue(QUEUE_SCENARIO(""), CS_EVENT_ASSIGNED_POD_DELETE, 5250 * CS_MS, CS_SECOND / 2,
                           9 * CS_SECOND);
    static const double want[] = {0, 5.25, 8};
    expect_times(&a, want, 3);
    CU_ASSERT_EQUAL(a.n, 3);
}

static void test_events_no_rejecting_plugin_registers_for_leave_the_pod(void)
{
    /* A node label change every 0.5 s: NodeResourcesFit, the only plugin that rejected the pod,
     * does not register for it, so the pod stays in unschedulablePods until it has been there
     * more than 5 min at a 30 s flush: 330 s after failing at 0 (300 s is not more than 5 min),
     * then 660 s. */
    attempts a = run_queue(QUEUE_SCENARIO(""), CS_EVENT_NODE_LABEL, CS_SECOND / 2, CS_SECOND / 2, 700 * CS_SECOND);
    static const double want[] = {0, 330, 660};
    expect_times(&a, want, 3);
    CU_ASSERT_EQUAL(a.n, 3);
    /* With no events at all: the same. */
    a = run_queue(QUEUE_SCENARIO(""), 0, 0, 0, 700 * CS_SECOND);
    expect_times(&a, want, 3);
}

static void test_calculate_backoff_duration(void)
{
    cs_config *cfg = load(QUEUE_SCENARIO(""));
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    static const cs_time want[] = {1, 2, 4, 8, 10, 10};   /* attempts 1 .. 6 */
    for (uint32_t i = 0; i < 6; i++)
        CU_ASSERT_EQUAL(cs_squeue_backoff_duration(w, i + 1), want[i] * CS_SECOND);
    CU_ASSERT_EQUAL(cs_squeue_backoff_duration(w, 4000000000u), 10 * CS_SECOND);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"backoff doubles from 1 s to 10 s", test_backoff_doubles_from_1_s_to_10_s},
    {"backoff durations are configurable", test_backoff_durations_are_configurable},
    {"an event after the backoff retries at once", test_an_event_after_the_backoff_retries_at_once},
    {"events no rejecting plugin registers for leave the pod",
     test_events_no_rejecting_plugin_registers_for_leave_the_pod},
    {"calculateBackoffDuration", test_calculate_backoff_duration},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_sched_queue_suite = {.pName = "sched_queue", .pTests = tests};
