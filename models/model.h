/* model.h -- the state of one replication's cluster, shared by the models (not public).
 *
 * Objects refer to each other by uint32_t ids into dense arrays, never by pointer, so the
 * arrays can grow. Ids follow scenario order (nodes, workloads) or creation order (pods),
 * and every walk goes in id order: nothing here depends on addresses or hashing.
 *
 * Every change of a pod's phase or a node's state goes through the functions below, which
 * keep the per-node and per-workload counters and tell the observers (metrics.c) at once:
 * the metrics and property checkers read the state, they never change the simulation.
 */
#ifndef CLUSTERSIM_MODEL_H
#define CLUSTERSIM_MODEL_H

#include <gsl/gsl_rng.h>

#include "clustersim/arena.h"
#include "clustersim/config.h"
#include "clustersim/histogram.h"
#include "clustersim/kernel.h"
#include "clustersim/result.h"
#include "clustersim/rng.h"
#include "clustersim/trace.h"
#include "clustersim/world.h"

/* Upstream constants this model uses as fixed values. */
#define CS_POD_GC_PERIOD (20 * CS_SECOND)       /* pkg/controller/podgc gcCheckPeriod */
#define CS_POD_GC_QUARANTINE (40 * CS_SECOND)   /* pkg/controller/podgc quarantineTime */
#define CS_DRAIN_RETRY (5 * CS_SECOND)          /* kubectl drain: "will retry after 5s" on a 429 */
#define CS_DRAIN_POLL (1 * CS_SECOND)           /* kubectl drain waitForDelete poll interval */
#define CS_MAX_NODE_SCORE 100                   /* framework.MaxNodeScore */
#define CS_DEFAULT_MILLI_CPU 100                /* schedutil.DefaultMilliCPURequest */
#define CS_DEFAULT_MEMORY (200LL * 1024 * 1024) /* schedutil.DefaultMemoryRequest */

typedef enum cs_pod_phase {
    CS_POD_PENDING,     /* created, not bound to a node */
    CS_POD_STARTING,    /* bound to a running node, containers starting */
    CS_POD_READY,       /* running and passing readiness */
    CS_POD_DOWN,        /* bound to a node that is down: not running, not yet evicted */
    CS_POD_TERMINATED,  /* deleted; kept for accounting */
    CS_POD_RUNNING,     /* container running but not ready: readiness probe not passed yet, or
                           waiting in CrashLoopBackOff (lifecycle.c) */
    CS_POD_TERMINATING, /* deleted with a grace period: not ready, not active, still holding
                           its node's resources until it is gone */
    CS_POD_PHASES
} cs_pod_phase;

/* Taints the node lifecycle and kubectl set, by their upstream keys. */
typedef enum cs_node_taint {
    CS_TAINT_NOT_READY,    /* node.kubernetes.io/not-ready: Ready False */
    CS_TAINT_UNREACHABLE,  /* node.kubernetes.io/unreachable: Ready Unknown */
    CS_TAINT_UNSCHEDULABLE,   /* node.kubernetes.io/unschedulable: cordoned */
    CS_NODE_TAINTS
} cs_node_taint;

typedef struct cs_node {
    uint32_t pool, zone;
    bool up;               /* the machine is running */
    bool ready;            /* the Ready condition as the control plane sees it */
    bool unreachable;      /* while not ready: Ready Unknown (unreachable taints), else False (not-ready) */
    bool fail_unreachable; /* how the current failure shows: the kubelet stopped, or reports NotReady */
    bool exists;           /* the Node object exists: false from a replaced machine's deletion until its
                            * successor registers */
    bool unschedulable;    /* spec.unschedulable: cordoned */
    bool noexec;           /* carries the lifecycle's NoExecute taint (nodelifecycle.c) */
    cs_time tainted_at;    /* when it came */
    uint32_t drain;        /* the drain in progress (disruption.c), or CS_NONE */
    uint32_t upgrade;      /* the rolling upgrade this node is part of now, or CS_NONE */
    bool upgrade_down;     /* drained and stopped for that upgrade: its next repair ends it */
    cs_time join_at;       /* replaced: when the fresh machine is ready to register; 0 otherwise */
    cs_resources alloc;
    cs_resources requested;   /* sum of the requests of pods bound here */
    int64_t nonzero_cpu, nonzero_mem;   /* the same with the scheduler's non-zero defaults */
    uint32_t first_pod;    /* head of the list of pods bound here (CS_NONE when empty) */
    uint32_t first_nominated;   /* head of the pods nominated here by preemption (CS_NONE: none) */
    cs_event_id failure_timer, repair_timer, notready_timer, evict_timer;
    /* Its failure clock (faults.c): the draws of its own timeToFailure and timeToRepair (or
     * provisioningTime) made so far, when the pending failure comes (CS_TIME_MAX: none), and,
     * while it is stopped for an upgrade, the running time its clock has left. */
    uint32_t ttf_draws, ttr_draws;
    cs_time fails_at, ttf_left;
    bool ttf_paused;
    uint32_t generation;   /* fresh machines that replaced it so far: keys its image pulls (lifecycle.c) */
} cs_node;

/* Where a pending pod waits in the scheduling queue (sched_queue.c). */
typedef enum cs_pod_queue {
    CS_QUEUE_NONE,          /* in no queue: bound, being scheduled, or deleted */
    CS_QUEUE_ACTIVE,        /* activeQ */
    CS_QUEUE_BACKOFF,       /* backoffQ */
    CS_QUEUE_UNSCHEDULABLE, /* unschedulablePods */
} cs_pod_queue;

typedef struct cs_pod {
    uint32_t workload;
    uint32_t node;          /* CS_NONE while unbound */
    uint32_t prev_on_node, next_on_node;
    uint32_t rs;            /* the ReplicaSet (revision) that owns it */
    uint32_t prev_in_rs, next_in_rs;   /* its RS's list of pods not yet gone */
    uint32_t ordinal;       /* StatefulSet pods: the <name>-<ordinal> index */
    cs_pod_phase phase;
    bool queued;            /* in one of the scheduler's queues */
    uint8_t queue;          /* cs_pod_queue: which one */
    uint32_t attempts;      /* scheduling attempts (QueuedPodInfo.Attempts) */
    uint32_t unsched_plugins;   /* bits of the filter plugins that rejected it last */
    uint64_t q_seq;         /* the sequence number of its live queue entry */
    cs_time q_time;         /* QueuedPodInfo.Timestamp: queued, or last found unschedulable */
    uint32_t nominated;     /* status.nominatedNodeName (CS_NONE: none), set by preemption */
    uint32_t next_nominated;    /* next pod nominated to the same node */
    cs_time bound_at;       /* when it was bound: its status.startTime for preemption */
    uint32_t pinned;        /* a DaemonSet pod's node (its matchFields metadata.name), or CS_NONE */
    bool been_ready;        /* has been Ready once (time to ready counts the first time) */
    bool available;         /* Ready for minReadySeconds (counted in its RS's `available`) */
    bool crashed;           /* crashed and not available again since (counted in `crashed`) */
    uint32_t restarts;      /* container restarts (restartCount) */
    uint32_t serial;        /* its creation index in its workload: with the workload's name, the key
                               of its container draws (lifecycle.c); here, where it fills a hole */
    uint32_t crash_draws, health_draws, start_draws;   /* those draws made so far: times to crash,
                                                          health intervals, start-up times */
    const char *term_reason;   /* why it is Terminating: the reason it is deleted with */
    cs_time created;
    cs_time ready_since;    /* the Ready condition's lastTransitionTime while Ready */
    cs_time backoff_ns, backoff_at;   /* the kubelet's crash backoff entry: delay, lastUpdate */
    uint64_t uid;           /* pseudorandom, for the deletion ranking's ties (metadata.uid) */
    cs_event_id start_timer;   /* the kubelet's next step: started, probe, restart, or gone */
    cs_event_id crash_timer, avail_timer;
    /* The readiness prober's worker (lifecycle.c): its next probe not yet accounted for, the run
     * of equal results (resultRun, lastResult), and the health endpoint's state until when. */
    cs_time probe_at, health_until;
    uint32_t probe_run;
    bool probe_ok, healthy;
} cs_pod;

/* A ReplicaSet: the pods of one template revision of a workload. Every workload has at least
 * one (revision 1); a Deployment gets one more per rollout. */
typedef struct cs_rs {
    uint32_t workload;
    uint32_t revision;      /* deployment.kubernetes.io/revision */
    const cs_pod_template *tmpl;
    uint32_t replicas;      /* spec.replicas */
    uint32_t count[CS_POD_PHASES];   /* its pods by phase */
    uint32_t available;     /* status.availableReplicas */
    uint32_t first_pod;     /* its pods not yet gone (CS_NONE when none) */
    uint32_t next;          /* the workload's next RS, oldest first (CS_NONE at the end) */
    uint32_t ann_desired, ann_max;   /* desired-replicas and max-replicas annotations */
    cs_time created;
    bool deleted;           /* removed by revisionHistoryLimit */
} cs_rs;

typedef struct cs_workload_state {
    uint32_t desired;
    uint32_t count[CS_POD_PHASES];   /* pods of this workload by phase */
    /* From the pod template's tolerations plus those the DefaultTolerationSeconds admission
     * plugin adds (faults.c): how long a pod stays on a node with the NoExecute taint of
     * not-ready / unreachable (CS_TIME_MAX: for ever), and whether the scheduler may place it
     * on a node with the lifecycle taint (the NoSchedule one, and the NoExecute one for the
     * not-ready and unreachable keys). */
    cs_time evict_after[2];          /* by CS_TAINT_NOT_READY, CS_TAINT_UNREACHABLE */
    bool tolerates[CS_NODE_TAINTS];
    uint32_t first_pdb, n_pdb;       /* the PodDisruptionBudgets selecting its pods (disruption.c) */
    /* The controllers' state (workloads.c, deployment.c, statefulset.c). */
    const cs_pod_template *tmpl;     /* spec.template: the current revision's */
    uint32_t first_rs, last_rs;      /* its ReplicaSets, oldest first */
    uint32_t new_rs;                 /* the RS whose template is tmpl, or CS_NONE */
    uint32_t sts_current;            /* StatefulSet: the current revision's RS (status.currentRevision) */
    uint32_t revision;               /* the highest revision given so far */
    uint32_t available;              /* available pods over all its RSs */
    bool paused;                     /* spec.paused */
    bool sync_queued;                /* a sync event is pending at the current time */
    bool rolling;                    /* pods of more than one revision: a rolling update is under way */
    uint32_t crashed;                /* pods not available again since their container crashed */
    uint32_t created;                /* pods created so far (the next pod's serial) */
    uint8_t cond;                    /* the Progressing condition's reason (deployment.c) */
    cs_time cond_updated;            /* its lastUpdateTime */
    cs_event_id progress_timer;      /* requeueStuckDeployment */
    int32_t st_replicas, st_updated, st_ready, st_available;   /* status at the last sync */
} cs_workload_state;

/* A growable array inside the arena: growth copies into a block twice the size and leaves
 * the old one to the arena (at most as much again as the array, freed with the world). */
typedef struct cs_vec {
    void *data;
    uint32_t len, cap;
} cs_vec;

typedef struct cs_sched cs_sched;
typedef struct cs_node_tree cs_node_tree;
typedef struct cs_squeue cs_squeue;
typedef struct cs_preempt cs_preempt;
typedef struct cs_daemonsets cs_daemonsets;
typedef struct cs_metrics cs_metrics;
typedef struct cs_latency cs_latency;
typedef struct cs_series cs_series;
typedef struct cs_disruption cs_disruption;
typedef struct cs_nodelife cs_nodelife;
typedef struct cs_pod_index cs_pod_index;

struct cs_world {
    const cs_config *cfg;
    cs_arena *arena;
    cs_kernel *kernel;
    gsl_rng *rng[CS_STREAM_COUNT];
    uint32_t rep;
    uint64_t seed;          /* the run's seed: with rep, the root of the counter-based draws (rng.h) */
    cs_trace_sink trace;    /* fn == NULL: not traced */
    bool oom;               /* an allocation failed: the run stops and reports CS_ENOMEM */

    cs_node *nodes;         /* cfg->n_nodes */
    cs_vec pods;            /* cs_pod, by pod id */
    cs_vec rs;              /* cs_rs, by ReplicaSet id */
    uint64_t uid_salt;      /* per replication: pod uids are mix64(salt ^ id) */
    cs_vec ranked;          /* scratch of the RS controller's deletion ranking */
    cs_vec colocated;       /* (workload, node) -> active pods bound there: workloads.c */
    cs_vec ordinals;        /* scratch of the StatefulSet controller: pod id by ordinal */
    cs_vec picks;           /* scratch of a pool's bulk failure: running nodes by priority (faults.c) */
    cs_vec *images;         /* per node: the images on it and when each is there (lifecycle.c);
                               NULL when no template has an imagePullTime */
    void *deploy_buf;       /* scratch of the Deployment controller: per-RS arrays of one sync */
    size_t deploy_buf_size;
    uint64_t restarts;      /* container restarts, all pods */
    uint64_t deadline_exceeded;   /* times a Deployment reported ProgressDeadlineExceeded */
    cs_workload_state *workloads;
    uint32_t pending;       /* pods in CS_POD_PENDING, all workloads */
    uint32_t nodes_up;
    int64_t cpu_requested;  /* sum over nodes of requested CPU (milli) */
    uint64_t events;        /* kernel events run */

    cs_sched *sched;
    cs_node_tree *tree;     /* the order the scheduler walks the nodes in (node_tree.c) */
    cs_squeue *squeue;      /* the scheduling queue (sched_queue.c) */
    cs_preempt *preempt;    /* DefaultPreemption's scratch (preempt.c) */
    cs_daemonsets *daemonsets;   /* the DaemonSet controller's pods by node (daemonset.c) */
    cs_metrics *metrics;
    cs_latency *latency;
    cs_series *series;      /* NULL when cfg->samples == 0 */
    cs_disruption *disruption;
    cs_nodelife *nodelife;   /* the node lifecycle controller's zones (nodelifecycle.c) */
    cs_pod_index *pod_index;   /* sched_index.h: pod counts by selector and topology domain */

    cs_handler on_pod_started, on_pod_probe, on_pod_crash, on_pod_restart, on_pod_available, on_pod_gone,
        on_workload_sync, on_progress_check;
    cs_handler on_node_fail, on_node_repair, on_node_notready, on_node_evict,
        on_action, on_node_gc, on_node_join, on_correlated;
};

static inline cs_pod *cs_pod_at(cs_world *w, uint32_t id)
{
    return &((cs_pod *)w->pods.data)[id];
}

static inline cs_rs *cs_rs_at(cs_world *w, uint32_t id)
{
    return &((cs_rs *)w->rs.data)[id];
}

static inline cs_time cs_now(const cs_world *w)
{
    return cs_kernel_now(w->kernel);
}

/* Grows v by one element of `size` bytes and returns its index, or CS_NONE when out of memory
 * (w->oom is then set). */
uint32_t cs_vec_push(cs_world *w, cs_vec *v, size_t size);

/* Traces an event when the world is traced. */
void cs_world_trace(cs_world *w, const char *type, const cs_field *fields, size_t n);

/* cluster.c: pods and nodes. */
uint32_t cs_pod_create(cs_world *w, uint32_t workload);
void cs_pod_bind(cs_world *w, uint32_t pod, uint32_t node);
void cs_pod_set_phase(cs_world *w, uint32_t pod, cs_pod_phase phase);
void cs_pod_delete(cs_world *w, uint32_t pod, const char *reason);
/* Deletes a pod gracefully: an unbound pod goes at once (as the API server deletes a pod with no
 * node), a bound one turns Terminating for its template's shutdown time (at most
 * terminationGracePeriodSeconds), holding its node's resources, then goes. */
void cs_pod_terminate(cs_world *w, uint32_t pod, const char *reason);
/* The same with DeleteOptions.gracePeriodSeconds: grace_s >= 0 replaces the template's grace. */
void cs_pod_terminate_within(cs_world *w, uint32_t pod, const char *reason, int64_t grace_s);
/* Creates a pod in ReplicaSet rs (cs_pod_create uses the workload's newest). */
uint32_t cs_pod_create_in(cs_world *w, uint32_t rs);
/* The pod's node went down: its containers stop (a Terminating pod keeps terminating). */
void cs_pod_node_down(cs_world *w, uint32_t pod);
/* Marks a pod available or not, keeping its RS's and workload's counts. */
void cs_pod_set_available(cs_world *w, uint32_t pod, bool available);
const char *cs_pod_phase_name(cs_pod_phase phase);
void cs_node_set_up(cs_world *w, uint32_t node, bool up);
void cs_node_set_ready(cs_world *w, uint32_t node, bool ready);
/* Cordons (kubectl cordon) or uncordons a node; uncordoning wakes the unschedulable pods. */
void cs_node_set_unschedulable(cs_world *w, uint32_t node, bool unschedulable);
/* Deletes or (re)creates the Node object; a deleted node is in no scheduling cycle. */
void cs_node_set_exists(cs_world *w, uint32_t node, bool exists);
/* The non-terminated pods of a workload, whatever their phase. */
uint32_t cs_workload_live_pods(const cs_world *w, uint32_t workload);
/* Requests of one pod of a workload, and the scheduler's non-zero view of them. */
const cs_resources *cs_pod_requests(const cs_world *w, uint32_t pod);

/* Cluster events (framework.ClusterEvent) that move unschedulable pods, as bits. */
enum {
    CS_EVENT_ASSIGNED_POD_DELETE = 1u << 0,   /* a pod bound to a node went away */
    CS_EVENT_NODE_ADD = 1u << 1,              /* a node joined (or came back) */
    CS_EVENT_NODE_TAINT = 1u << 2,            /* UpdateNodeTaint, e.g. the not-ready taint removed */
    CS_EVENT_NODE_ALLOCATABLE = 1u << 3,      /* UpdateNodeAllocatable */
    CS_EVENT_NODE_LABEL = 1u << 4,            /* UpdateNodeLabel */
    CS_EVENT_ASSIGNED_POD_ADD = 1u << 5,      /* a pod was bound to a node */
    CS_EVENT_ALL = ~0u,
};

/* lifecycle.c: the kubelet's side: start, readiness probe, minReadySeconds, crash loop, shutdown. */
cs_status cs_lifecycle_attach(cs_world *w);
/* The pod is bound to a running node (or its node came back): pull and start its container. */
void cs_pod_start(cs_world *w, uint32_t pod);
/* A pod of the settled cluster at t = 0: Ready and available at once, its crash clock running. */
void cs_pod_settle(cs_world *w, uint32_t pod);
/* Cancels every kubelet timer of the pod. */
void cs_pod_cancel_timers(cs_world *w, uint32_t pod);

/* scheduler.c, sched_queue.c */
cs_status cs_sched_attach(cs_world *w);

/* node_tree.c: the scheduler's node list, zone by zone round robin (node_tree.go list). */
cs_status cs_node_tree_attach(cs_world *w);
/* A Node object was created (present) or deleted: it joins or leaves the list. */
void cs_node_tree_set(cs_world *w, uint32_t node, bool present);
/* The nodes whose Node object exists, in the scheduler's order, and how many there are. */
const uint32_t *cs_node_tree_list(const cs_world *w);
uint32_t cs_node_tree_len(const cs_world *w);
/* Queues a new pod in activeQ (PriorityQueue.Add). */
void cs_sched_enqueue(cs_world *w, uint32_t pod);
/* Takes a pod out of whichever queue holds it (PriorityQueue.Delete). */
void cs_sched_dequeue(cs_world *w, uint32_t pod);
/* A cluster event (CS_EVENT_* bits): the unschedulable pods that one of their rejecting
 * plugins registers for move to backoffQ or activeQ (moveAllToActiveOrBackoffQueue). */
void cs_sched_cluster_event(cs_world *w, uint32_t event);
/* cs_sched_cluster_event(w, CS_EVENT_ALL): a change of unknown kind moves every one. */
void cs_sched_cluster_changed(cs_world *w);
/* Every enabled filter of the profile for pod on node, as the cycle runs them, on the world as
 * it is: NULL when all pass, else the first failing one's reason. Changes nothing. */
const char *cs_sched_recheck(cs_world *w, uint32_t pod, uint32_t node);
/* Schedules one pod now: returns the node it was bound to, or CS_NONE. */
uint32_t cs_sched_schedule_one(cs_world *w, uint32_t pod);

/* preempt.c */
cs_status cs_preempt_attach(cs_world *w);
/* Drops a pod's nomination (it was bound or deleted). */
void cs_preempt_forget(cs_world *w, uint32_t pod);

/* daemonset.c */
cs_status cs_daemonset_attach(cs_world *w);
/* The sync of DaemonSet workload ds (workloads.c's sync event calls it): creates the pods it
 * lacks. */
void cs_daemonset_sync(cs_world *w, uint32_t ds);
/* The starting cluster's daemon pods, placed at once (before the other workloads'). */
void cs_daemonset_place_initial(cs_world *w);
/* A node's readiness changed or it registered: queues a sync of every DaemonSet (it may owe
 * the node a pod, or stop counting it in desired). */
void cs_daemonset_node_changed(cs_world *w);
/* NodeShouldRunDaemonPod's shouldRun for DaemonSet workload ds on a node. */
bool cs_daemonset_should_run(const cs_world *w, uint32_t node, uint32_t ds);

/* world.c: a pod of the starting cluster, bound now and Ready at once, else queued. */
void cs_world_place_initial(cs_world *w, uint32_t pod);

/* workloads.c: the ReplicaSet controller, and the events that wake the workload controllers. */
cs_status cs_workloads_attach(cs_world *w);
/* Queues a sync of the workload's controllers at the current time (once per instant), as a
 * watch event queues the object's key. */
void cs_workload_reconcile(cs_world *w, uint32_t workload);
void cs_workload_scale(cs_world *w, uint32_t workload, uint32_t replicas);
/* Timeline actions on a workload's template and rollout. */
void cs_workload_rollout(cs_world *w, uint32_t workload, const cs_template_patch *patch);
void cs_workload_pause(cs_world *w, uint32_t workload, bool paused);
void cs_workload_rollback(cs_world *w, uint32_t workload);
/* Creates a ReplicaSet of the workload with template tmpl and 0 replicas; CS_NONE when out of
 * memory. */
uint32_t cs_rs_create(cs_world *w, uint32_t workload, const cs_pod_template *tmpl);
/* Sets an RS's spec.replicas and creates or deletes pods to match (syncReplicaSet). */
void cs_rs_scale(cs_world *w, uint32_t rs, uint32_t replicas);
/* A bound pod of the workload joins (+1) or leaves (-1) the active pods on its node, which rank
 * scale-down victims (getPodsRankedByRelatedPodsOnSameNode). cluster.c calls it. */
void cs_colocated_add(cs_world *w, uint32_t workload, uint32_t node, int delta);
/* Pods of the RS that are active (not terminating, not gone): what the RS controller counts. */
uint32_t cs_rs_active(const cs_rs *rs);

/* deployment.c: the Deployment controller (pkg/controller/deployment). */
typedef struct cs_rs_view {   /* an RS as the rolling-update arithmetic sees it */
    int32_t replicas, available;
} cs_rs_view;
/* intstr.GetScaledValueFromIntOrPercent: a count as it is, a percentage of total rounded up or
 * down. */
int32_t cs_scaled_value(cs_int_or_percent v, int32_t total, bool round_up);
/* deployment_util.go ResolveFenceposts: maxSurge rounded up, maxUnavailable down, and 1
 * unavailable when both are 0. */
void cs_deploy_fenceposts(const cs_deploy_spec *d, int32_t desired, int32_t *surge, int32_t *unavailable);
/* deployment_util.go MaxUnavailable and MaxSurge (0 for Recreate). */
int32_t cs_deploy_max_unavailable(const cs_deploy_spec *d, int32_t replicas);
int32_t cs_deploy_max_surge(const cs_deploy_spec *d, int32_t replicas);
/* deployment_util.go NewRSNewReplicas: the new RS's size this step, given the sum of all RSs'
 * replicas and the new RS's. */
int32_t cs_deploy_new_rs_replicas(const cs_deploy_spec *d, int32_t replicas, int32_t all_replicas,
                                  int32_t new_replicas);
/* rolling.go cleanupUnhealthyReplicas over old RSs (oldest first): lowers replicas by up to
 * max_cleanup in all; returns how many. */
int32_t cs_deploy_cleanup_unhealthy(cs_rs_view *old, uint32_t n, int32_t max_cleanup);
/* rolling.go scaleDownOldReplicaSetsForRollingUpdate over old RSs (oldest first), given the
 * available pods of all RSs: returns how many replicas it took away. */
int32_t cs_deploy_scale_down_old(cs_rs_view *old, uint32_t n, int32_t all_available, int32_t min_available);
/* Runs one sync of a Deployment (syncDeployment). */
void cs_deploy_sync(cs_world *w, uint32_t workload);
cs_status cs_deploy_attach(cs_world *w);

/* statefulset.c: the StatefulSet controller (pkg/controller/statefulset). */
void cs_sts_sync(cs_world *w, uint32_t workload);

/* faults.c */
cs_status cs_faults_attach(cs_world *w);
/* The machine of a node stops (a failure, counted in nodes.failures); repair_after > 0 brings it
 * back then. mode says what the control plane sees: Ready Unknown after the grace period, or
 * Ready False at once. */
void cs_node_fail(cs_world *w, uint32_t node, cs_time repair_after, const char *cause, cs_failure_mode mode);
/* A planned stop (an upgrade): as a failure, but not counted as one. */
void cs_node_stop(cs_world *w, uint32_t node, cs_time back_after, const char *cause);
void cs_node_repair(cs_world *w, uint32_t node);

/* The NoExecute taint of the node lifecycle comes (its pods' tolerations start to run out) or
 * goes (their evictions are called off). */
void cs_node_taint_no_execute(cs_world *w, uint32_t node);
void cs_node_untaint_no_execute(cs_world *w, uint32_t node);

/* nodelifecycle.c: the zones' NoExecute tainting queues. */
cs_status cs_nodelife_attach(cs_world *w);
/* A node's Ready condition or existence changed (cluster.c calls it). */
void cs_nodelife_node_changed(cs_world *w, uint32_t node);

/* disruption.c: cordon, drain, the Eviction API and PodDisruptionBudgets. */
typedef struct cs_pdb_status {
    int32_t expected, healthy, desired, allowed;   /* expectedPods, currentHealthy, desiredHealthy,
                                                    * disruptionsAllowed */
} cs_pdb_status;
typedef enum cs_eviction {
    CS_EVICTED,            /* 201: the pod is deleted */
    CS_EVICTION_GONE,      /* 404: no such pod any more */
    CS_EVICTION_REFUSED,   /* 429: it would violate the pod's disruption budget */
    CS_EVICTION_ERROR,     /* 500: more than one PodDisruptionBudget selects the pod */
} cs_eviction;
cs_status cs_disruption_attach(cs_world *w);
/* The status the disruption controller computes for PDB i now. */
void cs_pdb_status_of(const cs_world *w, uint32_t pdb, cs_pdb_status *out);
/* The ids of the PodDisruptionBudgets that select a workload's pods. */
const uint32_t *cs_workload_pdbs(const cs_world *w, uint32_t workload, uint32_t *n);
/* POST pods/<pod>/eviction: deletes the pod when its budget allows, with DeleteOptions'
 * gracePeriodSeconds grace_s (-1: the pod's own). */
cs_eviction cs_pod_evict(cs_world *w, uint32_t pod, int64_t grace_s);
/* A drain action of the timeline (the index of a CS_ACTION_DRAIN). */
void cs_disruption_drain(cs_world *w, uint32_t action);
/* The machine of a node in a rolling upgrade is back: the upgrade goes on. */
void cs_disruption_node_back(cs_world *w, uint32_t node);
/* The run ends: drains still going are reported unfinished. */
void cs_disruption_finish(cs_world *w);

/* metrics.c: observers, called after each change they care about. */
cs_status cs_metrics_attach(cs_world *w);
void cs_metrics_pod_changed(cs_world *w, uint32_t workload, cs_pod_phase from, cs_pod_phase to);
void cs_metrics_node_changed(cs_world *w, uint32_t node);
void cs_metrics_node_failed(cs_world *w);
void cs_metrics_sched_attempt(cs_world *w, bool bound);
/* A pod became Ready (delta +1) or stopped being Ready (-1) on its node. */
void cs_metrics_pod_ready(cs_world *w, uint32_t pod, int delta);
/* A pod was deleted for `reason` (NULL or "": lost). */
void cs_metrics_pod_deleted(cs_world *w, const char *reason);
/* A pod is about to be bound to node (the schedulingValidity property). */
void cs_metrics_pod_binding(cs_world *w, uint32_t pod, uint32_t node);
/* A pod that was (or was not) Ready went away by a voluntary disruption (a drain). */
void cs_metrics_voluntary_disruption(cs_world *w, uint32_t pod, bool was_ready);
typedef enum cs_counter {
    CS_COUNT_EVICTIONS,           /* evictions the API accepted */
    CS_COUNT_EVICTIONS_REFUSED,   /* 429s */
    CS_COUNT_DRAINS_COMPLETED,
    CS_COUNT_DRAINS_FAILED,       /* timed out, or an eviction error */
    CS_COUNT_DRAINS_UNFINISHED,   /* still draining at the end */
    CS_COUNT_NODES_REPLACED,
    CS_COUNTERS
} cs_counter;
void cs_metrics_count(cs_world *w, cs_counter c);
/* A drain completed after `took`; a rolling upgrade completed after `took`. */
void cs_metrics_drain_completed(cs_world *w, cs_time took);
void cs_metrics_upgrade_completed(cs_world *w, cs_time took);
/* The reasons pods are deleted for, as metrics pods.deleted.<reason> count them (result.c);
 * any other reason counts as pods.deleted.other. */
enum { CS_DELETE_REASONS = 6 };
extern const char *const cs_delete_reasons[CS_DELETE_REASONS];
void cs_metrics_finish(cs_world *w);
void cs_metrics_result(const cs_world *w, cs_rep_result *r);
/* Read-only views for the sampler: property p is in violation now; the services selecting a
 * workload (n of them); a service's ready endpoints. */
bool cs_metrics_in_violation(const cs_world *w, uint32_t prop);
const uint32_t *cs_metrics_services_of(const cs_world *w, uint32_t workload, uint32_t *n);
uint32_t cs_metrics_service_ready(const cs_world *w, uint32_t service);

/* series.c: the time series (series.h), sampled after each change the observers see. */
cs_status cs_series_attach(cs_world *w);
void cs_series_pod_changed(cs_world *w, uint32_t workload);
void cs_series_node_changed(cs_world *w, uint32_t node);
/* Fills the grid points left at the end of the run. */
void cs_series_finish(cs_world *w);
/* Copies the rows into r->series. */
void cs_series_result(const cs_world *w, cs_rep_result *r);

/* latency.c: scheduling latency and time to ready per workload (an observer of phases). */
cs_status cs_latency_attach(cs_world *w);
void cs_latency_pod_phase(cs_world *w, uint32_t pod, cs_pod_phase from, cs_pod_phase to);
/* Packs the histograms into r->latency. Returns CS_OK or CS_ENOMEM. */
cs_status cs_latency_result(const cs_world *w, cs_rep_result *r);

#endif
