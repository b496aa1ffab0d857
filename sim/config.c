/* config.c -- lookups over a loaded cs_config: the pool, name and zone of a node id.
 *
 * Nodes are not stored one by one: a node id is a pool's first_node plus an index, so these
 * functions derive everything from the pools. The config itself lives in its own arena
 * (the loader allocates it there), so freeing the arena frees it too.
 */
#include "clustersim/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* apis/config/v1/default_plugins.go getDefaultPlugins (weights), defaults.go
 * (NodeResourcesFitArgs: LeastAllocated, cpu and memory at weight 1), and
 * DefaultPodInitialBackoffDuration / DefaultPodMaxBackoffDuration. */
static const cs_sched_profile default_profile = {
    .percentage_of_nodes_to_score = 0,
    .weight = {[CS_SCORE_NODE_RESOURCES_FIT] = 1,
               [CS_SCORE_BALANCED_ALLOCATION] = 1,
               [CS_SCORE_NODE_AFFINITY] = 2,
               [CS_SCORE_TAINT_TOLERATION] = 3,
               [CS_SCORE_POD_TOPOLOGY_SPREAD] = 2,
               [CS_SCORE_INTER_POD_AFFINITY] = 2},
    .strategy = CS_STRATEGY_LEAST_ALLOCATED,
    .resources = {{CS_RESOURCE_CPU, 1}, {CS_RESOURCE_MEMORY, 1}},
    .n_resources = 2,
    .pod_initial_backoff = 1 * CS_SECOND,
    .pod_max_backoff = 10 * CS_SECOND,
};

const cs_sched_profile *cs_sched_profile_default(void)
{
    return &default_profile;
}

const char *const cs_score_plugin_names[CS_SCORE_PLUGINS] = {
    [CS_SCORE_NODE_RESOURCES_FIT] = "NodeResourcesFit",
    [CS_SCORE_BALANCED_ALLOCATION] = "NodeResourcesBalancedAllocation",
    [CS_SCORE_NODE_AFFINITY] = "NodeAffinity",
    [CS_SCORE_TAINT_TOLERATION] = "TaintToleration",
    [CS_SCORE_POD_TOPOLOGY_SPREAD] = "PodTopologySpread",
    [CS_SCORE_INTER_POD_AFFINITY] = "InterPodAffinity",
};

const char *const cs_scoring_strategy_names[3] = {
    [CS_STRATEGY_LEAST_ALLOCATED] = "LeastAllocated",
    [CS_STRATEGY_MOST_ALLOCATED] = "MostAllocated",
    [CS_STRATEGY_REQUESTED_TO_CAPACITY_RATIO] = "RequestedToCapacityRatio",
};

void cs_config_free(cs_config *cfg)
{
    if (cfg != NULL)
        cs_arena_free(cfg->arena);   /* reads cfg->arena before the arena (and cfg) go */
}

/* Binary search for the last pool whose first_node is <= node; pools are consecutive and
 * never empty, so that pool holds the node. Logarithmic in the number of pools. */
const cs_node_pool *cs_config_node_pool(const cs_config *cfg, uint32_t node)
{
    CS_ASSERT(node < cfg->n_nodes && cfg->n_pools > 0);
    uint32_t lo = 0, hi = cfg->n_pools;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cfg->pools[mid].first_node <= node)
            lo = mid;
        else
            hi = mid;
    }
    return &cfg->pools[lo];
}

char *cs_config_node_name(const cs_config *cfg, uint32_t node, char *buf, size_t size)
{
    const cs_node_pool *p = cs_config_node_pool(cfg, node);
    if (size > 0)
        snprintf(buf, size, "%s-%" PRIu32, p->name, node - p->first_node);
    return buf;
}

uint32_t cs_config_node_zone(const cs_config *cfg, uint32_t node)
{
    const cs_node_pool *p = cs_config_node_pool(cfg, node);
    if (p->n_zones == 0)
        return CS_NONE;
    return p->zones[(node - p->first_node) % p->n_zones];
}

/* v1helper.IsExtendedResourceName: not native (IsNativeResource: no '/', or containing
 * "kubernetes.io/") and not a quota's "requests." name; plus hugepages-<size>
 * (IsHugePageResourceName). The qualified-name syntax itself is not checked. */
bool cs_config_is_extended_name(const char *name)
{
    if (strncmp(name, "hugepages-", 10) == 0)
        return name[10] != '\0';
    return strchr(name, '/') != NULL && strstr(name, "kubernetes.io/") == NULL && strncmp(name, "requests.", 9) != 0;
}

cs_status cs_config_extended_id(cs_config *cfg, const char *name, uint32_t *id)
{
    for (uint32_t i = 0; i < cfg->n_extended; i++)
        if (strcmp(cfg->extended[i], name) == 0) {
            *id = i;
            return CS_OK;
        }
    if (cfg->n_extended == CS_MAX_EXTENDED)
        return CS_EINPUT;
    char *copy = cs_arena_strdup(cfg->arena, name);
    if (copy == NULL)
        return CS_ENOMEM;
    cfg->extended[cfg->n_extended] = copy;
    *id = cfg->n_extended++;
    return CS_OK;
}

/* apps/v1 SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go): RollingUpdate with 25% / 25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600; core/v1 SetDefaults_Pod and
 * SetDefaults_Probe: terminationGracePeriodSeconds 30, periodSeconds 10, successThreshold 1,
 * failureThreshold 3 (the probe's are used only when a probe is given). */
void cs_workload_defaults(cs_workload *wl)
{
    wl->image = "";
    wl->deploy = (cs_deploy_spec){.strategy = CS_DEPLOY_ROLLING_UPDATE,
                                  .max_surge = {25, true},
                                  .max_unavailable = {25, true},
                                  .progress_deadline_s = 600,
                                  .revision_history_limit = 10};
    wl->life = (cs_lifecycle){.readiness = {.period_s = 10, .success_threshold = 1, .failure_threshold = 3},
                              .grace_s = 30};
}

cs_status cs_config_daemonset_tolerations(cs_arena *arena, cs_workload *wl)
{
    /* NotReady and Unreachable NoExecute with no tolerationSeconds: daemon pods are never
     * evicted from a lost node; the node-condition NoSchedule taints and cordon are tolerated. */
    static const cs_toleration defaults[] = {
        {"node.kubernetes.io/not-ready", CS_TOL_EXISTS, "", false, CS_TAINT_NO_EXECUTE, false, 0},
        {"node.kubernetes.io/unreachable", CS_TOL_EXISTS, "", false, CS_TAINT_NO_EXECUTE, false, 0},
        {"node.kubernetes.io/disk-pressure", CS_TOL_EXISTS, "", false, CS_TAINT_NO_SCHEDULE, false, 0},
        {"node.kubernetes.io/memory-pressure", CS_TOL_EXISTS, "", false, CS_TAINT_NO_SCHEDULE, false, 0},
        {"node.kubernetes.io/pid-pressure", CS_TOL_EXISTS, "", false, CS_TAINT_NO_SCHEDULE, false, 0},
        {"node.kubernetes.io/unschedulable", CS_TOL_EXISTS, "", false, CS_TAINT_NO_SCHEDULE, false, 0},
    };
    size_t nd = sizeof defaults / sizeof defaults[0];
    cs_toleration *ts = cs_arena_calloc(arena, wl->n_tolerations + nd, sizeof *ts);
    if (ts == NULL)
        return CS_ENOMEM;
    uint32_t n = wl->n_tolerations;
    for (uint32_t i = 0; i < n; i++)
        ts[i] = wl->tolerations[i];
    for (size_t d = 0; d < nd; d++) {
        /* AddOrUpdateTolerationInPodSpec: one with the same key, operator, value and effect
         * (Toleration.MatchToleration) is replaced; else the default is appended. */
        bool replaced = false;
        for (uint32_t i = 0; i < wl->n_tolerations; i++) {
            const cs_toleration *t = &ts[i];
            if (t->op == defaults[d].op && !t->any_effect && t->effect == defaults[d].effect &&
                strcmp(t->key, defaults[d].key) == 0 && strcmp(t->value, defaults[d].value) == 0) {
                ts[i] = defaults[d];
                replaced = true;
            }
        }
        if (!replaced)
            ts[n++] = defaults[d];
    }
    wl->tolerations = ts;
    wl->n_tolerations = n;
    return CS_OK;
}
