/* test_deploy.c -- the Deployment and ReplicaSet controllers and the pod lifecycle, with exact
 * numbers and times worked out by hand from the upstream rules (each test says which): the
 * rolling-update arithmetic of pkg/controller/deployment, whole rollouts traced step by step,
 * Recreate, rollback, pause, the progress deadline, the deletion ranking, termination grace,
 * readiness probes, and the kubelet's crash-loop back-off. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "clustersim/scenario.h"
#include "test_util.h"

/* ---- the arithmetic --------------------------------------------------------------------- */

static const cs_deploy_spec rolling_25 = {.strategy = CS_DEPLOY_ROLLING_UPDATE,
                                          .max_surge = {25, true},
                                          .max_unavailable = {25, true}};

/* intstr.GetScaledValueFromIntOrPercent: 25% of 10 is 2.5, up 3 and down 2; of 4 exactly 1. */
static void test_percentages_round_as_intstr(void)
{
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){25, true}, 10, true), 3);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){25, true}, 10, false), 2);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){25, true}, 4, true), 1);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){25, true}, 4, false), 1);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){1, true}, 10, false), 0);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){1, true}, 10, true), 1);
    CU_ASSERT_EQUAL(cs_scaled_value((cs_int_or_percent){7, false}, 10, true), 7);
}

/* ResolveFenceposts: surge up, unavailable down, and 0/0 becomes 0/1. MaxUnavailable caps at
 * the replicas and is 0 for Recreate or 0 replicas. */
static void test_fenceposts_follow_resolve_fenceposts(void)
{
    int32_t s, u;
    cs_deploy_fenceposts(&rolling_25, 10, &s, &u);
    CU_ASSERT(s == 3 && u == 2);
    cs_deploy_fenceposts(&rolling_25, 4, &s, &u);
    CU_ASSERT(s == 1 && u == 1);
    cs_deploy_spec d = rolling_25;
    d.max_surge = (cs_int_or_percent){1, true};
    d.max_unavailable = (cs_int_or_percent){1, true};
    cs_deploy_fenceposts(&d, 10, &s, &u);   /* 0.1 up is 1, down is 0: not both zero */
    CU_ASSERT(s == 1 && u == 0);
    cs_deploy_fenceposts(&d, 1, &s, &u);
    CU_ASSERT(s == 1 && u == 0);
    d.max_surge = (cs_int_or_percent){0, false};
    d.max_unavailable = (cs_int_or_percent){10, true};
    cs_deploy_fenceposts(&d, 5, &s, &u);    /* 0 and floor(0.5) = 0: the both-zero rule */
    CU_ASSERT(s == 0 && u == 1);
    d.max_unavailable = (cs_int_or_percent){5, false};
    CU_ASSERT_EQUAL(cs_deploy_max_unavailable(&d, 3), 3);   /* capped at the replicas */
    CU_ASSERT_EQUAL(cs_deploy_max_unavailable(&d, 0), 0);
    d.strategy = CS_DEPLOY_RECREATE;
    CU_ASSERT_EQUAL(cs_deploy_max_unavailable(&d, 10), 0);
    CU_ASSERT_EQUAL(cs_deploy_max_surge(&d, 10), 0);
}

/* NewRSNewReplicas: 10 replicas, surge 3, so at most 13 pods in all. */
static void test_new_rs_replicas_stay_under_max_surge(void)
{
    CU_ASSERT_EQUAL(cs_deploy_new_rs_replicas(&rolling_25, 10, 10, 0), 3);    /* 13 - 10 */
    CU_ASSERT_EQUAL(cs_deploy_new_rs_replicas(&rolling_25, 10, 13, 3), 3);    /* full: no change */
    CU_ASSERT_EQUAL(cs_deploy_new_rs_replicas(&rolling_25, 10, 12, 3), 4);    /* room for 1 */
    CU_ASSERT_EQUAL(cs_deploy_new_rs_replicas(&rolling_25, 10, 10, 8), 10);   /* at most replicas */
    cs_deploy_spec re = {.strategy = CS_DEPLOY_RECREATE};
    CU_ASSERT_EQUAL(cs_deploy_new_rs_replicas(&re, 10, 20, 0), 10);
}

/* cleanupUnhealthyReplicas, oldest first: each RS loses up to its unavailable replicas until
 * max_cleanup; then scaleDownOldReplicaSetsForRollingUpdate takes available - minAvailable. */
static void test_old_replica_sets_scale_down_as_rolling_go(void)
{
    cs_rs_view v[3] = {{5, 3}, {4, 4}, {3, 0}};
    CU_ASSERT_EQUAL(cs_deploy_cleanup_unhealthy(v, 3, 4), 4);
    CU_ASSERT(v[0].replicas == 3 && v[1].replicas == 4 && v[2].replicas == 1);
    cs_rs_view w2[3] = {{5, 3}, {4, 4}, {3, 0}};
    CU_ASSERT_EQUAL(cs_deploy_cleanup_unhealthy(w2, 3, 10), 5);   /* all 5 unhealthy, no more */
    CU_ASSERT(w2[0].replicas == 3 && w2[1].replicas == 4 && w2[2].replicas == 0);
    /* 9 available in all (3 + 4 + 2 of the new RS), minAvailable 5: 4 go, oldest first. */
    CU_ASSERT_EQUAL(cs_deploy_scale_down_old(v, 3, 9, 5), 4);
    CU_ASSERT(v[0].replicas == 0 && v[1].replicas == 3 && v[2].replicas == 1);
    CU_ASSERT_EQUAL(cs_deploy_scale_down_old(v, 3, 5, 5), 0);   /* at minAvailable: nothing */
}

/* ---- whole runs, traced ----------------------------------------------------------------- */

#define MAX_LINES 512

typedef struct tape {
    char line[MAX_LINES][160];
    unsigned n;
    const char *const *types;   /* the record types kept */
} tape;

/* Keeps "t type k=v ..." (t in seconds, pod and workload names dropped) of the kept types. */
static void tape_record(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    tape *tp = ctx;
    bool keep = false;
    for (const char *const *k = tp->types; *k != NULL && !keep; k++)
        keep = strcmp(*k, type) == 0;
    if (!keep || tp->n == MAX_LINES)
        return;
    char *s = tp->line[tp->n++];
    size_t used = (size_t)snprintf(s, 160, "%g %s", (double)t / 1e9, type);
    for (size_t i = 0; i < n && used < 160; i++) {
        if (strcmp(f[i].key, "workload") == 0 || strcmp(f[i].key, "reason") == 0)
            continue;
        if (f[i].kind == CS_FIELD_INT)
            used += (size_t)snprintf(s + used, 160 - used, " %s=%lld", f[i].key, (long long)f[i].i);
        else if (f[i].kind == CS_FIELD_STR)
            used += (size_t)snprintf(s + used, 160 - used, " %s=%s", f[i].key, f[i].s);
    }
}

/* Runs replication 0 of the scenario with the tape as its trace; returns the result. */
/* A scenario from a string, or from a file when it starts with '/'. */
static cs_config *load_any(const char *yaml_or_path)
{
    if (yaml_or_path[0] != '/')
        return load(yaml_or_path);
    cs_config *cfg = NULL;
    cs_diag d = {0};
    CU_ASSERT_EQUAL_FATAL(cs_scenario_load_file(yaml_or_path, &cfg, &d), CS_OK);
    return cfg;
}

static cs_rep_result run_taped(const char *yaml, tape *tp, cs_config **cfg_out)
{
    cs_config *cfg = load_any(yaml);
    cs_rep_result r;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&r, cfg), CS_OK);
    cs_trace_sink sink = {.fn = tape_record, .ctx = tp};
    cs_world *w = cs_world_new(cfg, 1, 0, &sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &r);
    cs_world_free(w);
    *cfg_out = cfg;
    return r;
}

/* Asserts the tape holds exactly `want`, printing the first difference. */
static void expect_tape(const tape *tp, const char *const *want, unsigned n)
{
    for (unsigned i = 0; i < n || i < tp->n; i++) {
        const char *got = i < tp->n ? tp->line[i] : "(nothing)", *exp = i < n ? want[i] : "(nothing)";
        if (strcmp(got, exp) != 0) {
            fprintf(stderr, "\nline %u: got '%s', expected '%s'", i, got, exp);
            CU_FAIL("tape differs");
            return;
        }
    }
}

/* Runs the scenario with a tape of `types` and asserts it holds exactly want[0 .. n); returns
 * the result, for finish(). */
static cs_rep_result run_expecting(const char *yaml, const char *const *types, const char *const *want, unsigned n,
                                   cs_config **cfg)
{
    static tape tp;
    memset(&tp, 0, sizeof tp);
    tp.types = types;
    cs_rep_result r = run_taped(yaml, &tp, cfg);
    expect_tape(&tp, want, n);
    return r;
}

static void finish(cs_rep_result *r, cs_config *cfg)
{
    cs_result_fini(r);
    cs_config_free(cfg);
}

static size_t metric_index(const cs_config *cfg, const char *name)
{
    char buf[128];
    for (size_t i = 0; i < cs_result_metric_count(cfg); i++)
        if (strcmp(cs_result_metric_name(cfg, i, buf, sizeof buf), name) == 0)
            return i;
    CU_FAIL_FATAL("no such metric");
    return 0;
}

#define SCENARIO(workload, timeline)                                                                  \
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: d}\nspec:\n  duration: 30m\n" \
    "  cluster:\n    nodePools: [{name: n, count: 2, allocatable: {cpu: '8', memory: 16Gi}}]\n"        \
    "  workloads:\n    - {name: web, replicas: 4, startupTime: 10s, image: web:1, resources: {requests: {cpu: '1'}}" \
    workload "}\n  timeline:\n" timeline

/* The steps of a 4-replica 25% / 25% rollout at 60 s with a 10 s start-up (derived below). */
#define ROLLOUT_4_STEPS                                                                                 \
    "60 replicaset.created replicaset=1 revision=2", "60 replicaset.scaled replicaset=1 revision=2 replicas=1", \
        "60 replicaset.scaled replicaset=0 revision=1 replicas=3",                                       \
        "60 replicaset.scaled replicaset=1 revision=2 replicas=2",                                       \
        "70 replicaset.scaled replicaset=0 revision=1 replicas=1",                                       \
        "70 replicaset.scaled replicaset=1 revision=2 replicas=4",                                       \
        "80 replicaset.scaled replicaset=0 revision=1 replicas=0"

static const char *const rs_types[] = {"replicaset.created", "replicaset.scaled", "replicaset.deleted", NULL};

/* 4 replicas, 25% / 25%: surge 1, unavailable 1, so 3 to 5 pods. At 60 s the new RS is created
 * with 1 (NewRSNewReplicas: 5 - 4) and the old one goes to 3 (4 available - minAvailable 3);
 * the old pod's termination wakes the controller, which lets the new RS grow to 2 (5 - 3). At
 * 70 s both new pods are Ready: 5 available, so the old RS loses 2 (to 1) and the new one
 * takes the room (4). At 80 s the last two are Ready and the old RS goes to 0. */
static void test_a_rolling_update_goes_step_by_step(void)
{
    static const char *const want[] = {
        ROLLOUT_4_STEPS,
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO("", "    - {at: 60s, action: rollout, workload: web, image: web:2}\n"
                                             "  properties: [{name: bounds, type: rolloutBounds}]\n"),
                                    rs_types, want, sizeof want / sizeof want[0], &cfg);
    CU_ASSERT_TRUE(r.props[0].held);
    /* 4 settled + 4 new pods; the old ones go 30 s after their deletion (grace). */
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "pods.created")], 8, 0);
    finish(&r, cfg);
}

/* minReadySeconds 5: each step waits until the new pods have been Ready for 5 s. */
static void test_min_ready_seconds_delays_each_step(void)
{
    static const char *const want[] = {
        "60 replicaset.created replicaset=1 revision=2",
        "60 replicaset.scaled replicaset=1 revision=2 replicas=1",
        "60 replicaset.scaled replicaset=0 revision=1 replicas=3",
        "60 replicaset.scaled replicaset=1 revision=2 replicas=2",
        "75 replicaset.scaled replicaset=0 revision=1 replicas=1",
        "75 replicaset.scaled replicaset=1 revision=2 replicas=4",
        "90 replicaset.scaled replicaset=0 revision=1 replicas=0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO(", minReadySeconds: 5",
                                             "    - {at: 60s, action: rollout, workload: web, image: web:2}\n"),
                                    rs_types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* Recreate: the old RS goes to 0 at 60 s; its pods are Terminating for the 30 s grace, and only
 * when none is left (oldPodsRunning) is the new RS created, at 90 s, with all 4. */
static void test_recreate_waits_for_the_old_pods_to_go(void)
{
    static const char *const want[] = {
        "60 replicaset.scaled replicaset=0 revision=1 replicas=0",
        "90 replicaset.created replicaset=1 revision=2",
        "90 replicaset.scaled replicaset=1 revision=2 replicas=4",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO(", strategy: {type: Recreate}",
                                         "    - {at: 60s, action: rollout, workload: web, image: web:2}\n"
                                         "  properties: [{name: up, type: availability, workload: web, "
                                         "minReady: 1}]\n"),
                                    rs_types, want, sizeof want / sizeof want[0], &cfg);
    /* No pod is Ready from 60 s (all terminating) to 100 s (the new ones started). */
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 40, 1e-9);
    finish(&r, cfg);
}

/* A rollback takes revision 1's RS back as the new one (FindNewReplicaSet matches its
 * template) and gives it revision 3; the rollout then runs the other way, with no new RS. */
static void test_rollback_adopts_the_previous_replica_set(void)
{
    static const char *const want[] = {
        ROLLOUT_4_STEPS,
        "300 replicaset.scaled replicaset=0 revision=3 replicas=1",
        "300 replicaset.scaled replicaset=1 revision=2 replicas=3",
        "300 replicaset.scaled replicaset=0 revision=3 replicas=2",
        "310 replicaset.scaled replicaset=1 revision=2 replicas=1",
        "310 replicaset.scaled replicaset=0 revision=3 replicas=4",
        "320 replicaset.scaled replicaset=1 revision=2 replicas=0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO("", "    - {at: 60s, action: rollout, workload: web, image: web:2}\n"
                                             "    - {at: 300s, action: rollback, workload: web}\n"),
                                    rs_types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* Paused, a template change makes no RS (sync calls getAllReplicaSetsAndSyncRevision without
 * creating one) and the scale to 6 goes to the one active RS. At the resume (120 s), with 6
 * replicas, surge is ceil(1.5) = 2 and unavailable floor(1.5) = 1: the new RS starts at 2
 * (8 - 6); reconcileOldReplicaSets may take 8 - 5 - 2 unavailable = 1, and the old RS goes to 5;
 * the new one then to 3 (8 - 5). At 130 s the three new pods are Ready: 8 available, so the old
 * RS loses 3 (to 2) and the new one grows to 6; at 140 s the old RS goes to 0. */
static void test_a_paused_deployment_only_scales(void)
{
    static const char *const want[] = {
        "90 replicaset.scaled replicaset=0 revision=1 replicas=6",
        "120 replicaset.created replicaset=1 revision=2",
        "120 replicaset.scaled replicaset=1 revision=2 replicas=2",
        "120 replicaset.scaled replicaset=0 revision=1 replicas=5",
        "120 replicaset.scaled replicaset=1 revision=2 replicas=3",
        "130 replicaset.scaled replicaset=0 revision=1 replicas=2",
        "130 replicaset.scaled replicaset=1 revision=2 replicas=6",
        "140 replicaset.scaled replicaset=0 revision=1 replicas=0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO("", "    - {at: 30s, action: pause, workload: web}\n"
                                             "    - {at: 60s, action: rollout, workload: web, image: web:2}\n"
                                             "    - {at: 90s, action: scale, workload: web, replicas: 6}\n"
                                             "    - {at: 120s, action: resume, workload: web}\n"),
                                    rs_types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* progressDeadlineSeconds 60 and a new template no node can hold (100 CPU): the new pods stay
 * Pending. The last progress is at 60 s (the new RS grows to 2 after the old one's scale-down);
 * requeueStuckDeployment comes back 60 s + 1 s later and DeploymentTimedOut
 * (lastUpdateTime + 60 s before now) turns the condition to ProgressDeadlineExceeded at 121 s. */
static void test_a_stuck_rollout_exceeds_its_progress_deadline(void)
{
    static const char *const types[] = {"deployment.progressDeadlineExceeded", NULL};
    static const char *const want[] = {"121 deployment.progressDeadlineExceeded"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(SCENARIO(", progressDeadlineSeconds: 60",
                 "    - {at: 60s, action: rollout, workload: web, resources: {requests: {cpu: '100'}}}\n"),
                                    types, want, 1, &cfg);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "deployments.progress_deadline_exceeded")], 1, 0);
    finish(&r, cfg);
}

#define ONE_POD(duration, fields, timeline)                                                           \
    "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: p}\nspec:\n  duration: " duration "\n" \
    "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '3', memory: 16Gi}}]\n"        \
    "  workloads:\n    - {name: web, resources: {requests: {cpu: '1'}}" fields "}\n" timeline

static const char *const pod_types[] = {"pod.ready", "pod.terminating", "pod.deleted", "pod.bound", NULL};

/* The kubelet's back-off (doBackOff over flowcontrol.Backoff, 10 s doubling to 300 s): a
 * container up for 1 s (startupTime) that crashes 5 s after it runs is restarted at once the
 * first time (no entry), then after 10, 20, 40, 80, 160, 300 and 300 s: at 5, 21, 47, 93,
 * 179, 345, 651 and 957 s (each exit is 6 s after the previous restart). */
static void test_crash_loop_back_off_doubles_to_five_minutes(void)
{
    static const char *const types[] = {"pod.restarted", NULL};
    static const char *const want[] = {
        "5 pod.restarted pod=0 restarts=1",   "21 pod.restarted pod=0 restarts=2",
        "47 pod.restarted pod=0 restarts=3",  "93 pod.restarted pod=0 restarts=4",
        "179 pod.restarted pod=0 restarts=5", "345 pod.restarted pod=0 restarts=6",
        "651 pod.restarted pod=0 restarts=7", "957 pod.restarted pod=0 restarts=8",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("20m", ", startupTime: 1s, timeToCrash: 5s", ""),
                                    types, want, sizeof want / sizeof want[0], &cfg);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "pods.restarts")], 8, 0);
    finish(&r, cfg);
}

/* A container that ran longer than 2 x 300 s since the last back-off update starts over: the
 * crash at 700 s is restarted at once (first), and so is the one at 1401 s (701 s later). */
static void test_back_off_resets_after_ten_minutes(void)
{
    static const char *const types[] = {"pod.restarted", NULL};
    static const char *const want[] = {"700 pod.restarted pod=0 restarts=1", "1401 pod.restarted pod=0 restarts=2"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("30m", ", startupTime: 1s, timeToCrash: 700s", ""),
                                    types, want, 2, &cfg);
    finish(&r, cfg);
}

/* Three 1-CPU pods fill the 3-CPU node. Scaled to 1 at 60 s, two pods (equal in every key of
 * the ranking, so the later ids) are Terminating and keep their CPU for the 30 s grace; scaled back to 3 at
 * 70 s, the RS creates two pods at once (terminating pods are not active), which wait Pending
 * until the old ones are gone at 90 s, then start (10 s, the default startupTime). */
static void test_terminating_pods_hold_their_node_for_the_grace_period(void)
{
    static const char *const want[] = {
        "0 pod.bound pod=0 node=n-0",        "0 pod.ready pod=0 node=n-0",
        "0 pod.bound pod=1 node=n-0",        "0 pod.ready pod=1 node=n-0",
        "0 pod.bound pod=2 node=n-0",        "0 pod.ready pod=2 node=n-0",
        "60 pod.terminating pod=2 node=n-0",
        "60 pod.terminating pod=1 node=n-0",
        "90 pod.deleted pod=2 node=n-0",
        "90 pod.deleted pod=1 node=n-0",
        "90 pod.bound pod=3 node=n-0",
        "90 pod.bound pod=4 node=n-0",
        "100 pod.ready pod=3 node=n-0",
        "100 pod.ready pod=4 node=n-0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("10m", ", replicas: 3",
                                        "  timeline:\n    - {at: 60s, action: scale, workload: web, replicas: 1}\n"
                                        "    - {at: 70s, action: scale, workload: web, replicas: 3}\n"
                                        "  properties: [{name: fit, type: noOvercommit}]\n"),
                                    pod_types, want, sizeof want / sizeof want[0], &cfg);
    CU_ASSERT_TRUE(r.props[0].held);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "pods.pending_max")], 2, 0);
    finish(&r, cfg);
}

/* shutdownTime 5s: the container exits on SIGTERM after 5 s, before the grace period ends. */
static void test_a_quick_shutdown_ends_termination_early(void)
{
    static const char *const types[] = {"pod.deleted", NULL};
    static const char *const want[] = {"65 pod.deleted pod=1 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("10m", ", replicas: 2, shutdownTime: 5s",
                                        "  timeline:\n    - {at: 60s, action: scale, workload: web, replicas: 1}\n"),
                                    types, want, 1, &cfg);
    finish(&r, cfg);
}

/* readinessProbe {initialDelaySeconds: 5, periodSeconds: 10, successThreshold: 2}: the pod
 * scaled up at 60 s is bound at once and its container runs at 70 s; probes run at 70, 80, 90
 * s; the one at 70 is before the delay, 80 and 90 succeed: Ready at 90 s. */
static void test_readiness_follows_the_probe_period(void)
{
    static const char *const types[] = {"pod.ready", NULL};
    static const char *const want[] = {"0 pod.ready pod=0 node=n-0", "90 pod.ready pod=1 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("10m",
                                            ", readinessProbe: {initialDelaySeconds: 5, periodSeconds: 10, "
                                            "successThreshold: 2}",
                "  timeline:\n    - {at: 60s, action: scale, workload: web, replicas: 2}\n"),
                                    types, want, 2, &cfg);
    finish(&r, cfg);
}

/* ---- readiness failures (worker.go doProbe: resultRun against the thresholds) ---- */

static const char *const probe_types[] = {"pod.ready", "pod.notready", "pod.restarted", "pod.terminating", NULL};

/* The pod of t = 0 is probed at 0, 10, 20 s ... (periodSeconds 10, failureThreshold 3 by
 * default). Its health endpoint fails from 30 s for 45 s: the probes at 30, 40, 50 s fail, and
 * the third turns it NotReady at 50 s; 60 and 70 fail too; 80 succeeds and, with
 * successThreshold 1, it is Ready again. The next outage, from 105 s, has one failed probe
 * (110 s) before the end at 2 min. NotReady, it keeps running: no restart, no replacement. */
static void test_readiness_fails_after_failure_threshold_probes(void)
{
    static const char *const want[] = {"0 pod.ready pod=0 node=n-0", "50 pod.notready pod=0 node=n-0",
                                       "80 pod.ready pod=0 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("2m", ", readinessProbe: {periodSeconds: 10, failures: {every: 30s, lasting: 45s}}",
                                            "  properties: [{name: up, type: availability, minReady: 1}]\n"),
                                    probe_types, want, 3, &cfg);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_EQUAL(r.props[0].violations, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].violation_s, 30, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 50, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "pods.restarts")], 0, 0);
    finish(&r, cfg);
}

/* An outage of (failureThreshold - 1) periods never shows: failing from 30 s to 50 s (and from
 * 80 to 100 s, 130 to 150 s), it fails two probes, 30 and 40 s, and 50 s succeeds. Half a
 * second more and the probe at 50 s fails too: NotReady at 50 s, Ready at 60 s. */
static void test_a_short_outage_never_shows(void)
{
    static const char *const want[] = {"0 pod.ready pod=0 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("2m", ", readinessProbe: {failures: {every: 30s, lasting: 20s}}",
                                            "  properties: [{name: up, type: availability, minReady: 1}]\n"),
                                    probe_types, want, 1, &cfg);
    CU_ASSERT_TRUE(r.props[0].held);
    finish(&r, cfg);
    static const char *const longer[] = {"0 pod.ready pod=0 node=n-0", "50 pod.notready pod=0 node=n-0",
                                         "60 pod.ready pod=0 node=n-0"};
    r = run_expecting(ONE_POD("70s", ", readinessProbe: {failures: {every: 30s, lasting: 20.5s}}", ""), probe_types,
                      longer, 3, &cfg);
    finish(&r, cfg);
}

/* successThreshold 2: as in the first test NotReady at 50 s, then Ready at the second success
 * in a row, 90 s (80 s was the first). */
static void test_readiness_returns_after_success_threshold_probes(void)
{
    static const char *const want[] = {"0 pod.ready pod=0 node=n-0", "50 pod.notready pod=0 node=n-0",
                                       "90 pod.ready pod=0 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(
        ONE_POD("2m", ", readinessProbe: {successThreshold: 2, failures: {every: 30s, lasting: 45s}}", ""),
        probe_types, want, 3, &cfg);
    finish(&r, cfg);
}

/* A new container has a new health endpoint. Failing from 30 s, the pod of t = 0 is NotReady
 * at 50 s; its container crashes at 60 s (timeToCrash), is restarted at once (no back-off
 * entry) and runs at 61 s (startupTime 1s). Probed at 61 s, it is Ready: the outage of the old
 * container is over. The new one answers until 91 s; probes at 91, 101, 111 s fail: NotReady
 * at 111 s, with the one restart the crash made. */
static void test_a_restarted_container_starts_healthy(void)
{
    static const char *const want[] = {"0 pod.ready pod=0 node=n-0", "50 pod.notready pod=0 node=n-0",
                                       "60 pod.restarted pod=0 restarts=1", "61 pod.ready pod=0 node=n-0",
                                       "111 pod.notready pod=0 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(
        ONE_POD("115s", ", startupTime: 1s, timeToCrash: 60s, readinessProbe: {failures: {every: 30s, lasting: 45s}}", ""),
        probe_types, want, sizeof want / sizeof want[0], &cfg);
    CU_ASSERT_DOUBLE_EQUAL(r.metrics[metric_index(cfg, "pods.restarts")], 1, 0);
    finish(&r, cfg);
}

/* Probe ticks follow the container's start, and an outage may come before the first Ready.
 * {initialDelaySeconds: 5, periodSeconds: 10}, each endpoint healthy for 12 s, then failing
 * for 30 s. Pod 0 (of t = 0, probed at 0, 10, 20 ...): failing 12-42, 54-84, 96-126, 138-168
 * s, so NotReady at the third failed probe, 40, 80, 120, 160 s, Ready at the next success, 50,
 * 90, 130 s. Pod 1, scaled up at 60 s, runs from 70 s and is probed at 80, 90 ... (70 s is
 * inside the delay): healthy until 82 s, Ready at 80 s; failing 82-112 and 124-154 s,
 * NotReady at 110 and 150 s, Ready at 120 and 160 s. Equal times go in the order the flips
 * were found. */
static void test_probes_follow_the_container_start(void)
{
    static const char *const want[] = {
        "0 pod.ready pod=0 node=n-0",     "40 pod.notready pod=0 node=n-0", "50 pod.ready pod=0 node=n-0",
        "80 pod.notready pod=0 node=n-0", "80 pod.ready pod=1 node=n-0",    "90 pod.ready pod=0 node=n-0",
        "110 pod.notready pod=1 node=n-0", "120 pod.notready pod=0 node=n-0", "120 pod.ready pod=1 node=n-0",
        "130 pod.ready pod=0 node=n-0",   "150 pod.notready pod=1 node=n-0", "160 pod.notready pod=0 node=n-0",
        "160 pod.ready pod=1 node=n-0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(
        ONE_POD("165s",
                ", readinessProbe: {initialDelaySeconds: 5, periodSeconds: 10, failures: {every: 12s, lasting: 30s}}",
                "  timeline:\n    - {at: 60s, action: scale, workload: web, replicas: 2}\n"),
        probe_types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* ActivePodsWithRanks, key by key. At 60 s a third pod is added (Ready at 70 s); scaled back to
 * 2 at 65 s, the one not running yet goes (Pending phase before Running). At 100 s a fourth pod
 * is added (Ready at 110 s); scaled to 2 at 200 s, with all Ready on one node, the most recently
 * Ready goes: floor(log2(90 s in ns)) = 36 against floor(log2(200 s)) = 37. */
static void test_scale_down_deletes_by_the_upstream_ranking(void)
{
    static const char *const types[] = {"pod.terminating", "pod.deleted", NULL};
    static const char *const want[] = {"65 pod.terminating pod=2 node=n-0", "95 pod.deleted pod=2 node=n-0",
                                       "200 pod.terminating pod=3 node=n-0", "230 pod.deleted pod=3 node=n-0"};
    cs_config *cfg;
    cs_rep_result r = run_expecting(ONE_POD("4m", ", replicas: 2",
                                        "  timeline:\n    - {at: 60s, action: scale, workload: web, replicas: 3}\n"
                                        "    - {at: 65s, action: scale, workload: web, replicas: 2}\n"
                                        "    - {at: 100s, action: scale, workload: web, replicas: 3}\n"
                                        "    - {at: 200s, action: scale, workload: web, replicas: 2}\n"),
                                    types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* Ranked by related pods on the same node: of three Ready pods, two share a node, and the one
 * deleted is on that node (getPodsRankedByRelatedPodsOnSameNode). */
static void test_scale_down_prefers_doubled_up_nodes(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: r}\nspec:\n"
                          "  duration: 5m\n  cluster:\n"
                          "    nodePools: [{name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi}}]\n"
                          "  workloads: [{name: web, replicas: 3, resources: {requests: {cpu: '1'}}}]\n"
                          "  timeline: [{at: 60s, action: scale, workload: web, replicas: 2}]\n");
    for (uint32_t seed = 1; seed <= 8; seed++) {
        cs_world *w = cs_world_new(cfg, seed, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        uint32_t before[2] = {(uint32_t)w->nodes[0].requested.pods, (uint32_t)w->nodes[1].requested.pods};
        uint32_t doubled = before[0] == 2 ? 0 : 1;
        CU_ASSERT_EQUAL(before[doubled], 2);
        CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
        CU_ASSERT_EQUAL(w->nodes[doubled].requested.pods, 1);
        CU_ASSERT_EQUAL(w->nodes[1 - doubled].requested.pods, 1);
        cs_world_free(w);
    }
    cs_config_free(cfg);
}

/* rolloutBounds is broken when the Deployment was short before the rollout: pods of 5 CPU fit
 * one per 8-CPU node, so 2 of 4 are available, fewer than 4 - maxUnavailable 1, from the
 * rollout at 60 s on (before it, no rolling update is under way). */
static void test_rollout_bounds_catch_a_short_deployment(void)
{
    cs_config *cfg = load("apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: b}\nspec:\n"
                          "  duration: 5m\n  cluster:\n"
                          "    nodePools: [{name: n, count: 2, allocatable: {cpu: '8', memory: 16Gi}}]\n"
                          "  workloads: [{name: web, replicas: 4, resources: {requests: {cpu: '5'}}}]\n"
                          "  timeline: [{at: 60s, action: rollout, workload: web, image: web:2}]\n"
                          "  properties: [{name: bounds, type: rolloutBounds, workload: web}]\n");
    cs_rep_result r;
    CU_ASSERT_EQUAL_FATAL(cs_result_init(&r, cfg), CS_OK);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    cs_world_result(w, &r);
    cs_world_free(w);
    CU_ASSERT_FALSE(r.props[0].held);
    CU_ASSERT_DOUBLE_EQUAL(r.props[0].first_violation_s, 60, 1e-9);
    finish(&r, cfg);
}

/* stateful_set_control.go with OrderedReady: scaled to 5 at 60 s, ordinal 3 is created, and 4
 * only once 3 is Running and Ready (70 s). Scaled to 2 at 120 s, ordinal 4 goes first, then 3
 * once 4 is gone (30 s of grace each), then 2. The rollout at 300 s replaces the highest
 * ordinal first: 1 is deleted, recreated from revision 2 once gone (330 s), and only when it
 * is Ready (340 s) does 0 go. */
static void test_a_stateful_set_moves_one_ordinal_at_a_time(void)
{
    static const char *const types[] = {"statefulset.pod", "pod.terminating", "pod.deleted", NULL};
    static const char *const want[] = {
        "60 statefulset.pod pod=3 ordinal=3 revision=1",  "70 statefulset.pod pod=4 ordinal=4 revision=1",
        "120 pod.terminating pod=4 node=n-0",              "150 pod.deleted pod=4 node=n-0",
        "150 pod.terminating pod=3 node=n-0",              "180 pod.deleted pod=3 node=n-0",
        "180 pod.terminating pod=2 node=n-1",              "210 pod.deleted pod=2 node=n-1",
        "300 pod.terminating pod=1 node=n-1",              "330 pod.deleted pod=1 node=n-1",
        "330 statefulset.pod pod=5 ordinal=1 revision=2", "340 pod.terminating pod=0 node=n-0",
        "370 pod.deleted pod=0 node=n-0",                  "370 statefulset.pod pod=6 ordinal=0 revision=2",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(CS_TEST_DATA "/manifests/statefulset/scenario.yaml", types, want,
                                    sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

/* Eighty rollouts 2 s apart of 80 replicas with maxSurge 1 and maxUnavailable 0, faster than
 * any of them completes, so pods of many revisions run at once: revisionHistoryLimit 100 keeps
 * all eighty-one ReplicaSets, the last has revision 81, and once it is through it holds all 80
 * replicas, Ready, and every other RS none. */
static void test_many_revisions_at_once_settle_on_the_last(void)
{
    static char yaml[16384];
    int used = snprintf(yaml, sizeof yaml,
                        "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: many}\nspec:\n"
                        "  duration: 30m\n  cluster:\n"
                        "    nodePools: [{name: n, count: 4, allocatable: {cpu: '64', memory: 64Gi}}]\n"
                        "  workloads: [{name: web, replicas: 80, revisionHistoryLimit: 100, startupTime: 1s, "
                        "strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}, "
                        "resources: {requests: {cpu: 100m}}}]\n  timeline:\n");
    for (int i = 0; i < 80; i++)
        used += snprintf(yaml + used, sizeof yaml - (size_t)used,
                         "    - {at: %ds, action: rollout, workload: web, image: 'web:%d'}\n", 10 + 2 * i, i + 2);
    cs_config *cfg = load(yaml);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    CU_ASSERT_EQUAL(w->rs.len, 81);
    const cs_workload_state *ws = &w->workloads[0];
    CU_ASSERT_EQUAL(ws->new_rs, 80);
    CU_ASSERT_EQUAL(cs_rs_at(w, 80)->revision, 81);
    for (uint32_t r = 0; r < w->rs.len; r++)
        CU_ASSERT_EQUAL(cs_rs_at(w, r)->replicas, r == 80 ? 80 : 0);
    CU_ASSERT_EQUAL(cs_rs_at(w, 80)->count[CS_POD_READY], 80);
    CU_ASSERT_EQUAL(ws->count[CS_POD_READY], 80);
    cs_world_free(w);
    cs_config_free(cfg);
}

/* imagePullTime 30s on one node: the 4 settled pods have web:1. The rollout to web:2 at 100 s
 * starts 2 pods (surge 1, and 1 more once an old pod goes): the first pulls web:2 (30 s), the
 * second waits for the same pull, both start 10 s later: Ready at 140 s. The next two, at
 * 140 s, find web:2 on the node: Ready at 150 s. */
static void test_a_node_pulls_an_image_once(void)
{
    static const char *const types[] = {"pod.ready", NULL};
    static const char *const want[] = {
        "0 pod.ready pod=0 node=n-0",   "0 pod.ready pod=1 node=n-0",   "0 pod.ready pod=2 node=n-0",
        "0 pod.ready pod=3 node=n-0",   "140 pod.ready pod=4 node=n-0", "140 pod.ready pod=5 node=n-0",
        "150 pod.ready pod=6 node=n-0", "150 pod.ready pod=7 node=n-0",
    };
    cs_config *cfg;
    cs_rep_result r = run_expecting(
        "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: pull}\nspec:\n  duration: 5m\n"
        "  cluster:\n    nodePools: [{name: n, count: 1, allocatable: {cpu: '16', memory: 16Gi}}]\n"
        "  workloads: [{name: web, replicas: 4, image: 'web:1', imagePullTime: 30s, startupTime: 10s,\n"
        "               resources: {requests: {cpu: '1'}}}]\n"
        "  timeline: [{at: 100s, action: rollout, workload: web, image: 'web:2'}]\n",
        types, want, sizeof want / sizeof want[0], &cfg);
    finish(&r, cfg);
}

static CU_TestInfo tests[] = {
    {"percentages round as intstr", test_percentages_round_as_intstr},
    {"fenceposts follow ResolveFenceposts", test_fenceposts_follow_resolve_fenceposts},
    {"NewRSNewReplicas stays under maxSurge", test_new_rs_replicas_stay_under_max_surge},
    {"old ReplicaSets scale down as rolling.go", test_old_replica_sets_scale_down_as_rolling_go},
    {"a rolling update goes step by step", test_a_rolling_update_goes_step_by_step},
    {"minReadySeconds delays each step", test_min_ready_seconds_delays_each_step},
    {"Recreate waits for the old pods to go", test_recreate_waits_for_the_old_pods_to_go},
    {"rollback adopts the previous ReplicaSet", test_rollback_adopts_the_previous_replica_set},
    {"a paused Deployment only scales", test_a_paused_deployment_only_scales},
    {"a stuck rollout exceeds its progress deadline", test_a_stuck_rollout_exceeds_its_progress_deadline},
    {"CrashLoopBackOff doubles to five minutes", test_crash_loop_back_off_doubles_to_five_minutes},
    {"the back-off resets after ten minutes", test_back_off_resets_after_ten_minutes},
    {"terminating pods hold their node for the grace period",
     test_terminating_pods_hold_their_node_for_the_grace_period},
    {"a quick shutdown ends termination early", test_a_quick_shutdown_ends_termination_early},
    {"readiness follows the probe period", test_readiness_follows_the_probe_period},
    {"readiness fails after failureThreshold probes", test_readiness_fails_after_failure_threshold_probes},
    {"a short outage never shows", test_a_short_outage_never_shows},
    {"readiness returns after successThreshold probes", test_readiness_returns_after_success_threshold_probes},
    {"probes follow the container start", test_probes_follow_the_container_start},
    {"a restarted container starts healthy", test_a_restarted_container_starts_healthy},
    {"scale-down deletes by the upstream ranking", test_scale_down_deletes_by_the_upstream_ranking},
    {"scale-down prefers doubled-up nodes", test_scale_down_prefers_doubled_up_nodes},
    {"rolloutBounds catch a short Deployment", test_rollout_bounds_catch_a_short_deployment},
    {"a StatefulSet moves one ordinal at a time", test_a_stateful_set_moves_one_ordinal_at_a_time},
    {"many revisions at once settle on the last", test_many_revisions_at_once_settle_on_the_last},
    {"a node pulls an image once", test_a_node_pulls_an_image_once},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_deploy_suite = {.pName = "deploy", .pTests = tests};
