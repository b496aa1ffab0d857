/* test_daemonset.c -- the DaemonSet controller (pkg/controller/daemon): which nodes get a pod
 * (nodeSelector, affinity, taints against the template's tolerations plus the controller's
 * defaults), pods pinned to their node, their resources counted there, kept through a node's
 * loss, replaced when deleted. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "../models/model.h"
#include "test_util.h"

#define HEAD "apiVersion: clustersim.io/v1alpha1\nkind: Scenario\nmetadata: {name: ds}\nspec:\n"

static const char *cluster =
    HEAD "  duration: 3h\n"
         "  cluster:\n    nodePools:\n"
         "      - {name: a, count: 2, allocatable: {cpu: '4', memory: 8Gi}}\n"
         "      - {name: b, count: 1, allocatable: {cpu: '4', memory: 8Gi}, taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}\n"
         "      - {name: c, count: 1, allocatable: {cpu: '1', memory: 8Gi}, labels: {role: infra}}\n"
         "  timeline: [{at: 1h, action: nodeFailure, node: a-0, duration: 1h}]\n"
         "  workloads:\n"
         "    - {name: web, replicas: 2, resources: {requests: {cpu: '1'}}}\n"
         "    - {name: agent, kind: DaemonSet, resources: {requests: {cpu: 500m}}}\n"
         "    - {name: infra, kind: DaemonSet, nodeSelector: {role: infra}, resources: {requests: {cpu: 500m}}}\n"
         "    - {name: tolerant, kind: DaemonSet, tolerations: [{key: dedicated, operator: Exists}],\n"
         "       resources: {requests: {cpu: 600m}}}\n";

/* The node of each live pod of workload wl, as a string of node ids ("0 1 3"), in node order. */
static void nodes_of(cs_world *w, uint32_t wl, char *buf, size_t size)
{
    buf[0] = '\0';
    for (uint32_t n = 0; n < w->cfg->n_nodes; n++)
        for (uint32_t p = w->nodes[n].first_pod; p != CS_NONE; p = cs_pod_at(w, p)->next_on_node)
            if (cs_pod_at(w, p)->workload == wl) {
                size_t used = strlen(buf);
                snprintf(buf + used, size - used, "%s%u", used > 0 ? " " : "", n);
            }
}

static void test_each_eligible_node_gets_one_pod(void)
{
    cs_config *cfg = load(cluster);
    /* The controller's default tolerations follow the template's own. */
    CU_ASSERT_EQUAL(cfg->workloads[1].n_tolerations, 6);
    CU_ASSERT_EQUAL(cfg->workloads[3].n_tolerations, 7);
    CU_ASSERT_STRING_EQUAL(cfg->workloads[3].tolerations[0].key, "dedicated");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    char buf[64];
    /* agent: a-0 (node 0), a-1 (1), c-0 (3); b-0's dedicated taint is not tolerated. */
    nodes_of(w, 1, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 1 3");
    CU_ASSERT_EQUAL(w->workloads[1].desired, 3);
    /* infra: c-0 only. It should run there but does not fit: c-0 has 1 CPU, agent took 500m
     * first and tolerant wants 600m too (DaemonSets in file order: agent, infra, tolerant).
     * infra (500m) fits beside agent; tolerant (600m) then does not: it stays Pending, pinned
     * to c-0, never placed on another node. */
    nodes_of(w, 2, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "3");
    nodes_of(w, 3, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 1 2");
    CU_ASSERT_EQUAL(w->workloads[3].desired, 4);
    CU_ASSERT_EQUAL(w->workloads[3].count[CS_POD_PENDING], 1);
    /* Their requests count: a-0 and a-1 carry agent 500m + tolerant 600m each, b-0 tolerant's
     * 600m, c-0 agent's and infra's 1000m. web (1 CPU, no tolerations) cannot use b-0: its two
     * pods go one to a-0 and one to a-1 (LeastAllocated: the second to the emptier one). */
    CU_ASSERT_EQUAL(w->nodes[3].requested.cpu_milli, 1000);
    CU_ASSERT_EQUAL(w->nodes[0].requested.cpu_milli, 1100 + 1000);
    CU_ASSERT_EQUAL(w->nodes[1].requested.cpu_milli, 1100 + 1000);
    CU_ASSERT_EQUAL(w->nodes[2].requested.cpu_milli, 600);
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_daemon_pods_outlive_their_nodes_loss(void)
{
    /* a-0 fails at 1h, is NotReady at 1h + 50 s and its web pod is evicted 300 s later; the
     * daemon pods tolerate the lost node for ever and stay, and come back with the node at 2h.
     * While a-0 is NotReady it should not run a new daemon pod, so agent's desired is 2. */
    cs_config *cfg = load(cluster);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t created = w->pods.len;
    cs_kernel_run(w->kernel, 3600 * CS_SECOND + 400 * CS_SECOND);
    CU_ASSERT_EQUAL(w->workloads[1].desired, 2);
    CU_ASSERT_EQUAL(w->workloads[1].count[CS_POD_DOWN], 1);
    CU_ASSERT_EQUAL(w->workloads[3].count[CS_POD_DOWN], 1);
    CU_ASSERT_EQUAL(w->pods.len, created + 1);   /* only web's evicted pod is replaced */
    CU_ASSERT_EQUAL(w->workloads[0].count[CS_POD_READY], 2);
    CU_ASSERT_EQUAL(cs_world_run(w), CS_OK);
    CU_ASSERT_EQUAL(w->workloads[1].desired, 3);
    CU_ASSERT_EQUAL(w->workloads[1].count[CS_POD_READY], 3);
    CU_ASSERT_EQUAL(w->pods.len, created + 1);
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_a_deleted_daemon_pod_is_replaced_on_its_node(void)
{
    cs_config *cfg = load(cluster);
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t victim = CS_NONE;
    for (uint32_t p = w->nodes[1].first_pod; p != CS_NONE; p = cs_pod_at(w, p)->next_on_node)
        if (cs_pod_at(w, p)->workload == 1)
            victim = p;
    CU_ASSERT_FATAL(victim != CS_NONE);
    uint32_t before = w->pods.len;
    cs_pod_delete(w, victim, "Test");
    cs_workload_reconcile(w, 1);   /* the sync runs at once (a kernel event now) */
    cs_kernel_run(w->kernel, 1 * CS_SECOND);
    CU_ASSERT_EQUAL_FATAL(w->pods.len, before + 1);
    uint32_t fresh = before;
    CU_ASSERT_EQUAL(cs_pod_at(w, fresh)->workload, 1);
    CU_ASSERT_EQUAL(cs_pod_at(w, fresh)->pinned, 1);
    CU_ASSERT_EQUAL(cs_pod_at(w, fresh)->node, 1);
    char buf[64];
    nodes_of(w, 1, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "0 1 3");
    cs_world_free(w);
    cs_config_free(cfg);
}

static void test_a_replaced_node_gets_its_pod_when_it_registers(void)
{
    /* Both nodes fail at 1 h (a constant time to failure) and are replaced: NotReady and their
     * Nodes deleted at 1 h 50 s, the pod GC takes their pods (the daemon pods too: the Nodes
     * are gone) at the next 20 s pass plus 40 s, and fresh nodes register, Ready, at 1 h 5 m.
     * The DaemonSet then gives each a new pod. */
    cs_config *cfg = load(HEAD "  duration: 2h\n"
                               "  cluster:\n    nodePools:\n"
                               "      - {name: n, count: 2, allocatable: {cpu: '4', memory: 8Gi},\n"
                               "         failures: {timeToFailure: 1h, replace: {provisioningTime: 5m}}}\n"
                               "  workloads:\n"
                               "    - {name: agent, kind: DaemonSet, resources: {requests: {cpu: 100m}}}\n");
    cs_world *w = cs_world_new(cfg, 1, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    uint32_t first = w->nodes[0].first_pod;
    CU_ASSERT_FATAL(first != CS_NONE);
    cs_kernel_run(w->kernel, 3600 * CS_SECOND + 200 * CS_SECOND);   /* Node deleted, pods gone */
    CU_ASSERT_EQUAL(cs_pod_at(w, first)->phase, CS_POD_TERMINATED);
    CU_ASSERT_EQUAL(w->nodes[0].first_pod, CS_NONE);
    CU_ASSERT_EQUAL(w->workloads[0].desired, 0);
    cs_kernel_run(w->kernel, 3600 * CS_SECOND + 301 * CS_SECOND);   /* registered at 1 h 5 m */
    uint32_t fresh = w->nodes[0].first_pod;
    CU_ASSERT_FATAL(fresh != CS_NONE && fresh != first);
    CU_ASSERT_EQUAL(cs_pod_at(w, fresh)->workload, 0);
    CU_ASSERT_EQUAL(cs_pod_at(w, fresh)->bound_at, 3600 * CS_SECOND + 300 * CS_SECOND);
    CU_ASSERT_EQUAL(w->workloads[0].desired, 2);
    cs_world_free(w);
    cs_config_free(cfg);
}

static CU_TestInfo tests[] = {
    {"each eligible node gets one pod", test_each_eligible_node_gets_one_pod},
    {"daemon pods outlive their node's loss", test_daemon_pods_outlive_their_nodes_loss},
    {"a deleted daemon pod is replaced on its node", test_a_deleted_daemon_pod_is_replaced_on_its_node},
    {"a replaced node gets its pod when it registers", test_a_replaced_node_gets_its_pod_when_it_registers},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_daemonset_suite = {.pName = "daemonset", .pTests = tests};
