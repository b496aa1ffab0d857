/* config.h -- a validated scenario: the read-only input of every replication.
 *
 * The scenario loader (scenario.h) builds it; the runner shares one config between all
 * replications and threads, which only read it. Every string, array and distribution
 * sample lives in the config's own arena and is freed by cs_config_free().
 *
 * Names are resolved to ids at load time, so models index dense arrays in scenario order:
 * pools, nodes (pool by pool, "<pool>-<i>"), zones (in order of first mention), workloads.
 * `line` fields keep the 1-based line of the object in its file, for later messages.
 */
#ifndef CLUSTERSIM_CONFIG_H
#define CLUSTERSIM_CONFIG_H

#include "clustersim/arena.h"
#include "clustersim/common.h"
#include "clustersim/dist.h"

#define CS_NONE UINT32_MAX   /* "no id" / "all" */

typedef struct cs_label {
    const char *key, *value;
} cs_label;

typedef enum cs_taint_effect {
    CS_TAINT_NO_SCHEDULE,
    CS_TAINT_PREFER_NO_SCHEDULE,
    CS_TAINT_NO_EXECUTE,
} cs_taint_effect;

typedef struct cs_taint {
    const char *key, *value;  /* value may be "" */
    cs_taint_effect effect;
} cs_taint;

/* Distinct extended resources (nvidia.com/gpu, hugepages-2Mi, ...) one scenario may use. */
#define CS_MAX_EXTENDED 4
/* An intstr.IntOrString of the API as a whole number or a whole percentage ("25%"). */
typedef struct cs_int_or_percent {
    uint32_t value;
    bool percent;
} cs_int_or_percent;

/* Integer resource amounts, as Kubernetes quantities read them. */
typedef struct cs_resources {
    int64_t cpu_milli;
    int64_t mem_bytes;
    int64_t ephemeral_bytes;
    int64_t pods;
    int64_t ext[CS_MAX_EXTENDED];   /* extended resources, by cs_config.extended id (whole units) */
} cs_resources;

/* Node selector requirements (core/v1 NodeSelectorRequirement). Gt and Lt compare the label
 * value as an integer with the single value. */
typedef enum cs_selector_op {
    CS_OP_IN,
    CS_OP_NOT_IN,
    CS_OP_EXISTS,
    CS_OP_DOES_NOT_EXIST,
    CS_OP_GT,
    CS_OP_LT,
} cs_selector_op;

typedef struct cs_requirement {
    const char *key;
    cs_selector_op op;
    const char *const *values;
    uint32_t n_values;
} cs_requirement;

/* One NodeSelectorTerm: its requirements are ANDed; terms of a list are ORed. matchFields
 * supports the one field upstream does, metadata.name. */
typedef struct cs_node_selector_term {
    const cs_requirement *match_expressions;
    uint32_t n_match_expressions;
    const cs_requirement *match_fields;
    uint32_t n_match_fields;
} cs_node_selector_term;

typedef struct cs_preferred_term {
    int32_t weight;               /* 1..100 */
    cs_node_selector_term term;
} cs_preferred_term;

/* A metav1.LabelSelector over pod labels: matchLabels and matchExpressions (In, NotIn, Exists,
 * DoesNotExist), all ANDed. An absent selector (present false) selects no pod, an empty one
 * every pod (metav1.LabelSelectorAsSelector). */
typedef struct cs_label_selector {
    bool present;
    const cs_label *match_labels;
    uint32_t n_match_labels;
    const cs_requirement *match_expressions;
    uint32_t n_match_expressions;
} cs_label_selector;

/* One core/v1 TopologySpreadConstraint. matchLabelKeys are kept as given: the scheduler adds the
 * pod's own values of those keys to the selector (pods of a workload share their labels). */
typedef struct cs_spread_constraint {
    int32_t max_skew;             /* >= 1 */
    const char *topology_key;
    bool schedule_anyway;         /* whenUnsatisfiable: ScheduleAnyway (score); else DoNotSchedule (filter) */
    cs_label_selector selector;
    const char *const *match_label_keys;
    uint32_t n_match_label_keys;
    int32_t min_domains;          /* default 1 */
    bool honor_node_affinity;     /* nodeAffinityPolicy, default Honor */
    bool honor_node_taints;       /* nodeTaintsPolicy, default Ignore */
    int line;
} cs_spread_constraint;

/* One core/v1 PodAffinityTerm (weight only for the preferred ones, 1..100). Namespaces are not
 * modelled: every pod is in one namespace. */
typedef struct cs_pod_affinity_term {
    cs_label_selector selector;
    const char *topology_key;
    int32_t weight;
} cs_pod_affinity_term;

typedef enum cs_toleration_op { CS_TOL_EQUAL, CS_TOL_EXISTS } cs_toleration_op;

typedef struct cs_toleration {
    const char *key;              /* "" with Exists: tolerates every taint */
    cs_toleration_op op;
    const char *value;            /* "" when absent */
    bool any_effect;              /* effect absent: matches every effect */
    cs_taint_effect effect;
    bool has_seconds;
    int64_t seconds;              /* tolerationSeconds, for NoExecute */
} cs_toleration;

typedef struct cs_node_pool {
    const char *name;
    uint32_t count;
    uint32_t first_node;          /* id of "<name>-0"; nodes of a pool are consecutive */
    const uint32_t *zones;        /* zone ids; node i of the pool is in zones[i % n_zones] */
    uint32_t n_zones;             /* 0: the pool has no zone label */
    cs_resources allocatable;
    const cs_label *labels;
    uint32_t n_labels;
    const cs_taint *taints;
    uint32_t n_taints;
    bool fails;                   /* failures.timeToFailure: given */
    cs_dist time_to_failure;      /* seconds, per node, from boot or repair */
    cs_dist time_to_repair;       /* seconds (unused when replace) */
    bool replace;                 /* failures.replace: a failed machine is deleted, a fresh node joins */
    cs_dist provisioning_time;    /* seconds from the failure until the fresh node joins */
    bool correlated;              /* failures.correlated: given */
    cs_dist correlated_interval;  /* seconds between two correlated failures of the pool */
    cs_int_or_percent correlated_count;   /* nodes that fail together: a count or a % of the pool */
    bool unschedulable;           /* v1 Node spec.unschedulable: the node starts cordoned */
    int line;
} cs_node_pool;

typedef enum cs_deploy_strategy { CS_DEPLOY_ROLLING_UPDATE, CS_DEPLOY_RECREATE } cs_deploy_strategy;

/* A Deployment's spec beyond its replicas and template, with the apps/v1 defaults
 * (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment), set by cs_workload_defaults(). */
typedef struct cs_deploy_spec {
    cs_deploy_strategy strategy;          /* default RollingUpdate */
    cs_int_or_percent max_surge;          /* default 25% */
    cs_int_or_percent max_unavailable;    /* default 25% */
    int32_t min_ready_s;                  /* minReadySeconds, default 0 */
    int32_t progress_deadline_s;          /* progressDeadlineSeconds, default 600 */
    int32_t revision_history_limit;       /* revisionHistoryLimit, default 10 */
    bool paused;                          /* spec.paused at t = 0 */
} cs_deploy_spec;

/* A StatefulSet's spec beyond its replicas (pkg/apis/apps/v1 defaults: OrderedReady,
 * RollingUpdate, partition 0). */
typedef struct cs_sts_spec {
    bool parallel;                        /* podManagementPolicy Parallel (default OrderedReady) */
    bool on_delete;                       /* updateStrategy OnDelete (default RollingUpdate) */
    int32_t partition;                    /* updateStrategy.rollingUpdate.partition, default 0 */
} cs_sts_spec;

/* A readiness probe (core/v1 Probe) as the kubelet's prober runs it. */
typedef struct cs_probe {
    bool set;                             /* no probe: Ready as soon as the container runs */
    int32_t initial_delay_s;              /* default 0 */
    int32_t period_s;                     /* default 10 */
    int32_t success_threshold;            /* default 1 */
    int32_t failure_threshold;            /* default 3 */
    bool fails;                           /* failures given (a clustersim extension) */
    cs_dist fail_every;                   /* seconds the health endpoint answers before it fails */
    cs_dist fail_lasting;                 /* seconds each failure of the health endpoint lasts */
} cs_probe;

/* What happens to a pod's container once it is bound: the kubelet's side of the template. */
typedef struct cs_lifecycle {
    cs_probe readiness;                   /* readinessProbe */
    bool crashes;                         /* timeToCrash given */
    cs_dist time_to_crash;                /* seconds a container runs before it exits in error */
    int64_t grace_s;                      /* terminationGracePeriodSeconds, default 30 */
    bool has_pull;                        /* imagePullTime given */
    cs_dist pull;                         /* seconds to pull the image onto a node that lacks it */
    bool has_shutdown;                    /* shutdownTime given */
    cs_dist shutdown;                     /* seconds to exit after SIGTERM; absent: the whole grace */
} cs_lifecycle;

/* The pod template of one revision, as far as the model uses it: what a rollout can change.
 * The workload's own fields give revision 1; each rollout patches the current one. */
typedef struct cs_pod_template {
    const char *image;                    /* "" when not given */
    cs_resources requests;                /* per pod; pods is always 1 */
    cs_dist startup;                      /* seconds from binding to the container running */
    cs_lifecycle life;
} cs_pod_template;

typedef struct cs_workload {
    const char *name;
    uint32_t replicas;
    cs_resources requests;        /* per pod; pods is always 1 */
    const cs_label *labels;
    uint32_t n_labels;
    cs_dist startup;              /* seconds from binding to Ready */
    /* The pod template's scheduling fields (all empty by default). */
    const cs_label *node_selector;
    uint32_t n_node_selector;
    const cs_node_selector_term *required_terms;   /* nodeAffinity required...IgnoredDuringExecution */
    uint32_t n_required_terms;
    const cs_preferred_term *preferred_terms;      /* nodeAffinity preferred...IgnoredDuringExecution */
    uint32_t n_preferred_terms;
    const cs_toleration *tolerations;
    uint32_t n_tolerations;
    const cs_spread_constraint *spread;            /* topologySpreadConstraints */
    uint32_t n_spread;
    /* podAffinity / podAntiAffinity, required...IgnoredDuringExecution and preferred... */
    const cs_pod_affinity_term *affinity_required, *affinity_preferred;
    uint32_t n_affinity_required, n_affinity_preferred;
    const cs_pod_affinity_term *anti_required, *anti_preferred;
    uint32_t n_anti_required, n_anti_preferred;
    int32_t priority;             /* spec.priority (resolved from priorityClassName); default 0 */
    const char *node_name;        /* spec.nodeName: the node's name in the simulation; NULL: none */
    bool preempt_never;           /* preemptionPolicy: Never (default PreemptLowerPriority) */
    bool daemonset;               /* kind DaemonSet: one pod per eligible node, replicas unused */
    const char *kind;             /* "Deployment" unless read from a manifest of another kind */
    /* The rest of revision 1's template, and the Deployment's spec (cs_workload_defaults). */
    const char *image;            /* "" when not given */
    cs_lifecycle life;
    cs_deploy_spec deploy;
    cs_sts_spec sts;              /* kind StatefulSet only */
    int line;
} cs_workload;

/* A rollout's change to the current template (spec.timeline[] action rollout): each field
 * given replaces the current one; none given is a restart (a new revision, same content),
 * as `kubectl rollout restart` makes. */
typedef struct cs_template_patch {
    const char *image;            /* NULL: unchanged */
    int64_t cpu_milli, mem_bytes, ephemeral_bytes;   /* < 0: unchanged */
    bool has_startup, has_crash, has_shutdown, has_pull;
    cs_dist startup, time_to_crash, shutdown, pull;
} cs_template_patch;

typedef enum cs_action_kind {
    CS_ACTION_NODE_FAILURE,       /* node, or count nodes of pool chosen at random */
    CS_ACTION_NODE_REPAIR,        /* node */
    CS_ACTION_ZONE_OUTAGE,        /* every node of zone, for duration */
    CS_ACTION_SCALE,              /* workload to replicas */
    CS_ACTION_CORDON,             /* node, or every node of pool: spec.unschedulable = true */
    CS_ACTION_UNCORDON,           /* node, or every node of pool: spec.unschedulable = false */
    CS_ACTION_DRAIN,              /* node (kubectl drain), or pool: a rolling node upgrade */
    CS_ACTION_ROLLOUT,            /* workload gets a new template: patch */
    CS_ACTION_PAUSE,              /* workload's rollout paused (spec.paused = true) */
    CS_ACTION_RESUME,             /* workload's rollout resumed */
    CS_ACTION_ROLLBACK,           /* workload back to its previous revision's template */
} cs_action_kind;

/* How a node fails: its machine stops (the kubelet stops posting: Ready Unknown, the unreachable
 * taints) or its kubelet reports Ready False (the not-ready taints). */
typedef enum cs_failure_mode { CS_FAIL_UNREACHABLE, CS_FAIL_NOT_READY } cs_failure_mode;

typedef struct cs_action {
    cs_time at;
    cs_action_kind kind;
    uint32_t node;                /* CS_NONE unless a node was named */
    uint32_t pool;                /* CS_NONE unless a pool was named */
    uint32_t count;               /* nodeFailure of a pool: nodes; drain of a pool: nodes at a time */
    bool count_percent;           /* nodeFailure: count is a percentage of the pool, rounded up */
    uint32_t zone;
    uint32_t workload;
    uint32_t replicas;
    cs_time duration;             /* 0: until repaired (node failures) */
    cs_failure_mode mode;         /* nodeFailure */
    cs_time timeout;              /* drain: kubectl drain --timeout per node; 0: none */
    bool disable_eviction;        /* drain: kubectl drain --disable-eviction (delete, bypass PDBs) */
    int64_t grace_period_s;       /* drain: kubectl drain --grace-period; -1: each pod's own */
    bool upgrade;                 /* drain of a pool: nodes go down for upgrade_time once drained */
    cs_dist upgrade_time;         /* drain of a pool: seconds a drained node is down */
    const cs_template_patch *patch;   /* rollout only */
    int line;
} cs_action;

typedef enum cs_property_kind {
    CS_PROP_AVAILABILITY,         /* at least min_ready ready pods of a workload (or of each) */
    CS_PROP_NO_OVERCOMMIT,        /* no node's bound requests exceed its allocatable */
    CS_PROP_COVERAGE,             /* every Service (or service) selects at least one ready pod */
    CS_PROP_PDB,                  /* every voluntary eviction left its PodDisruptionBudgets satisfied */
    CS_PROP_NO_POD_LOST,          /* every pod created is live or terminated with a reason */
    CS_PROP_ROLLOUT_BOUNDS,       /* during a rolling update with no failure: available >= desired -
                                     maxUnavailable and active pods <= desired + maxSurge */
    CS_PROP_SCHEDULING_VALIDITY,  /* every pod bound passed every enabled filter on its node at bind time */
} cs_property_kind;

typedef struct cs_property {
    const char *name;
    cs_property_kind kind;
    uint32_t workload;            /* CS_NONE: every workload */
    uint32_t service;             /* coverage: a cs_config.services id; CS_NONE: every service */
    uint32_t min_ready;           /* a count, or a percentage of desired when percent */
    bool percent;
    uint32_t min_nodes, min_zones;   /* availability: ready pods on at least this many nodes / zones */
    double threshold;             /* probability of holding required to pass; default 1 */
    int line;
} cs_property;

/* A Service read from a Kubernetes manifest (v1 Service): its name and spec.selector. It selects
 * the pods of every workload whose labels include all of its selector; the coverage property
 * and the service.<name>.uncovered_s metrics watch it. Nothing routes through it yet. */
typedef struct cs_service {
    const char *name;
    const cs_label *selector;     /* spec.selector; empty: selects no pods */
    uint32_t n_selector;
    int line;
} cs_service;

/* A PodDisruptionBudget (policy/v1), from spec.pdbs or a manifest. Its selector is matched
 * against the workloads' pod labels; a selector given but empty selects every pod, as
 * metav1.LabelSelectorAsSelector makes it (policy/v1), and none selects no pod. */
typedef struct cs_pdb {
    const char *name;
    uint32_t workload;            /* a workload's disruptionBudget: selects its pods; else CS_NONE */
    bool has_selector;
    const cs_label *match_labels;
    uint32_t n_match_labels;
    const cs_requirement *match_expressions;   /* In, NotIn, Exists, DoesNotExist */
    uint32_t n_match_expressions;
    bool has_min_available, has_max_unavailable;   /* at most one; neither: no disruption allowed */
    cs_int_or_percent value;      /* of the one given */
    bool always_allow;            /* unhealthyPodEvictionPolicy AlwaysAllow; default IfHealthyBudget */
    int line;
} cs_pdb;

/* A scheduler profile (spec.scheduler): the subset of KubeSchedulerConfiguration the scheduler
 * models. cs_config.sched is NULL for the default profile. */
typedef enum cs_score_plugin {
    CS_SCORE_NODE_RESOURCES_FIT,          /* NodeResourcesFit, default weight 1 */
    CS_SCORE_BALANCED_ALLOCATION,         /* NodeResourcesBalancedAllocation, default weight 1 */
    CS_SCORE_NODE_AFFINITY,               /* NodeAffinity, default weight 2 */
    CS_SCORE_TAINT_TOLERATION,            /* TaintToleration, default weight 3 */
    CS_SCORE_POD_TOPOLOGY_SPREAD,         /* PodTopologySpread, default weight 2 */
    CS_SCORE_INTER_POD_AFFINITY,          /* InterPodAffinity, default weight 2 */
    CS_SCORE_PLUGINS
} cs_score_plugin;

typedef enum cs_scoring_strategy {
    CS_STRATEGY_LEAST_ALLOCATED,
    CS_STRATEGY_MOST_ALLOCATED,
    CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO,
} cs_scoring_strategy;

typedef enum cs_resource_name {
    CS_RESOURCE_CPU,
    CS_RESOURCE_MEMORY,
    CS_RESOURCE_EPHEMERAL_STORAGE,
    CS_RESOURCE_EXTENDED,                 /* cs_resource_weight.ext says which */
} cs_resource_name;

typedef struct cs_resource_weight {
    cs_resource_name name;
    int64_t weight;                       /* 1..100 */
    uint32_t ext;                         /* CS_RESOURCE_EXTENDED: the cs_config.extended id */
} cs_resource_weight;

typedef struct cs_shape_point {
    int64_t utilization;                  /* 0..100, increasing */
    int64_t score;                        /* 0..10, as written (MaxCustomPriorityScore) */
} cs_shape_point;

typedef struct cs_sched_profile {
    uint32_t percentage_of_nodes_to_score;   /* 0..100; 0: adaptive */
    int64_t weight[CS_SCORE_PLUGINS];         /* by cs_score_plugin; 0: disabled */
    cs_scoring_strategy strategy;             /* NodeResourcesFit scoringStrategy.type */
    cs_resource_weight resources[3 + CS_MAX_EXTENDED];   /* scoringStrategy.resources, each once */
    uint32_t n_resources;
    const cs_shape_point *shape;              /* requestedToCapacityRatio.shape */
    uint32_t n_shape;
    cs_time pod_initial_backoff;              /* podInitialBackoffSeconds, default 1 s */
    cs_time pod_max_backoff;                  /* podMaxBackoffSeconds, default 10 s */
} cs_sched_profile;

/* kube-scheduler's default profile: the one a run without spec.scheduler uses, and where a
 * spec.scheduler starts from. */
const cs_sched_profile *cs_sched_profile_default(void);
/* Upstream names: of the score plugins by cs_score_plugin, of the scoring strategies by
 * cs_scoring_strategy. */
extern const char *const cs_score_plugin_names[CS_SCORE_PLUGINS];
extern const char *const cs_scoring_strategy_names[3];

typedef struct cs_config {
    const char *name;             /* metadata.name */
    const char *file;             /* the scenario file as given */
    cs_time duration;
    uint32_t replications;
    uint32_t samples;             /* spec.output.samples: time-series grid points; 0: none */
    uint64_t seed;
    const cs_node_pool *pools;
    uint32_t n_pools;
    uint32_t n_nodes;
    const char *const *zones;     /* zone names by id */
    uint32_t n_zones;
    const cs_workload *workloads;
    uint32_t n_workloads;
    const cs_action *timeline;    /* sorted by time, ties in file order */
    uint32_t n_timeline;
    const cs_property *properties;
    uint32_t n_properties;
    const cs_sched_profile *sched;   /* spec.scheduler; NULL: the default profile */
    const char *extended[CS_MAX_EXTENDED];   /* extended resource names by id, in order of mention */
    uint32_t n_extended;
    /* spec.cluster: the node lifecycle's settings (upstream flags). */
    cs_time node_monitor_grace;   /* --node-monitor-grace-period; default 50 s */
    int64_t not_ready_toleration_s;     /* --default-not-ready-toleration-seconds; default 300 */
    int64_t unreachable_toleration_s;   /* --default-unreachable-toleration-seconds; default 300 */
    double node_eviction_rate;    /* --node-eviction-rate: nodes tainted per second per zone; 0.1 */
    double secondary_node_eviction_rate;   /* --secondary-node-eviction-rate; 0.01 */
    double unhealthy_zone_threshold;       /* --unhealthy-zone-threshold; 0.55 */
    uint32_t large_cluster_threshold;      /* --large-cluster-size-threshold; 50 */
    const cs_pdb *pdbs;           /* workloads' disruptionBudget, then manifests' PodDisruptionBudgets */
    uint32_t n_pdbs;
    /* From Kubernetes manifests (spec.include, or a plain manifest file): */
    const cs_service *services;   /* v1 Service objects, in file order */
    uint32_t n_services;
    const char *const *skipped_kinds;  /* "ConfigMap (2)": kinds not modelled, sorted, each once */
    uint32_t n_skipped_kinds;
    cs_arena *arena;              /* owns everything above */
} cs_config;

/* True for a resource name the scheduler treats as an extended (scalar) resource: a
 * domain-qualified name outside kubernetes.io (v1helper.IsExtendedResourceName), or a
 * hugepages-<size> name (IsHugePageResourceName). */
bool cs_config_is_extended_name(const char *name);
/* The id of extended resource `name`, registering it (copied into the config's arena) on
 * first mention. Returns CS_OK, CS_ENOMEM, or CS_EINPUT when CS_MAX_EXTENDED are in use. */
cs_status cs_config_extended_id(cs_config *cfg, const char *name, uint32_t *id);
/* Gives a DaemonSet's pod template the tolerations the DaemonSet controller adds to its pods
 * (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations): a copy of wl's tolerations in
 * arena, each default replacing a toleration that matches it. Returns CS_OK or CS_ENOMEM. */
cs_status cs_config_daemonset_tolerations(cs_arena *arena, cs_workload *wl);
/* Frees a config and everything in it. NULL is allowed. */
void cs_config_free(cs_config *cfg);
/* Fills a workload's lifecycle and Deployment spec with their upstream defaults; the loaders
 * call it before reading the fields. */
void cs_workload_defaults(cs_workload *wl);
/* The pool of a node id. */
const cs_node_pool *cs_config_node_pool(const cs_config *cfg, uint32_t node);
/* Writes "<pool>-<i>" for a node id into buf; returns buf. */
char *cs_config_node_name(const cs_config *cfg, uint32_t node, char *buf, size_t size);
/* The zone id of a node, or CS_NONE when its pool has no zones. */
uint32_t cs_config_node_zone(const cs_config *cfg, uint32_t node);

#endif
