/* statefulset.c -- the StatefulSet controller (pkg/controller/statefulset), one sync at a time.
 *
 * A StatefulSet's pods have stable ordinals 0 .. replicas-1 (the pod <name>-<i>; a pod lost with
 * its node comes back with the same ordinal). Each revision of its template is one cs_rs, used
 * only to hold the template and the pods made from it; the sizes are this file's to keep.
 *
 * The sync follows stateful_set_control.go updateStatefulSet:
 * - every missing ordinal below replicas gets a pod (newVersionedStatefulSetPod: ordinals below
 *   the RollingUpdate partition from the current revision, the others from the update one);
 *   with OrderedReady (the default podManagementPolicy) one at a time, and only once every
 *   lower ordinal is Running and Ready (isRunningAndReady) and none is Terminating;
 * - ordinals at or above replicas are condemned and deleted from the highest, one at a time,
 *   each once the one before it is gone;
 * - with the RollingUpdate updateStrategy, the pod with the highest ordinal (down to the
 *   partition) that is not of the update revision is deleted, once every pod above it is
 *   healthy; its replacement comes from the update revision. When every pod is of it, it
 *   becomes the current revision. OnDelete leaves the pods alone.
 * With Parallel the first two steps do not wait. The ordinal map is rebuilt at each sync, in
 * the set's pods: StatefulSets are small, and the walk keeps no index to maintain.
 */
#include "model.h"

/* isRunningAndReady: Running with the Ready condition (and not Terminating, a phase of its own). */
static bool healthy(const cs_pod *p)
{
    return p->phase == CS_POD_READY;
}

/* Fills w->ordinals[0 .. n) with the set's pods by ordinal (CS_NONE where there is none);
 * returns n, at least `replicas`, or 0 when out of memory. */
static uint32_t map_ordinals(cs_world *w, const cs_workload_state *ws, uint32_t replicas)
{
    cs_vec *v = &w->ordinals;
    v->len = 0;
    for (uint32_t r = ws->first_rs; r != CS_NONE; r = cs_rs_at(w, r)->next)
        for (uint32_t id = cs_rs_at(w, r)->first_pod; id != CS_NONE; id = cs_pod_at(w, id)->next_in_rs) {
            uint32_t ord = cs_pod_at(w, id)->ordinal;
            while (v->len <= ord)
                if (cs_vec_push(w, v, sizeof(uint32_t)) == CS_NONE)
                    return 0;
                else
                    ((uint32_t *)v->data)[v->len - 1] = CS_NONE;
            ((uint32_t *)v->data)[ord] = id;
        }
    while (v->len < replicas)
        if (cs_vec_push(w, v, sizeof(uint32_t)) == CS_NONE)
            return 0;
        else
            ((uint32_t *)v->data)[v->len - 1] = CS_NONE;
    return v->len;
}

static void create_pod(cs_world *w, uint32_t workload, uint32_t rs, uint32_t ordinal)
{
    uint32_t pod = cs_pod_create_in(w, rs);
    if (pod == CS_NONE)
        return;
    cs_pod_at(w, pod)->ordinal = ordinal;
    if (w->trace.fn != NULL) {
        cs_field f[4] = {CS_STR("workload", w->cfg->workloads[workload].name), CS_INT("pod", pod),
                         CS_INT("ordinal", ordinal), CS_INT("revision", cs_rs_at(w, rs)->revision)};
        cs_world_trace(w, "statefulset.pod", f, 4);
    }
    cs_sched_enqueue(w, pod);
}

void cs_sts_sync(cs_world *w, uint32_t workload)
{
    const cs_workload *c = &w->cfg->workloads[workload];
    cs_workload_state *ws = &w->workloads[workload];
    uint32_t update = CS_NONE;
    for (uint32_t r = ws->first_rs; r != CS_NONE; r = cs_rs_at(w, r)->next)
        if (!cs_rs_at(w, r)->deleted && cs_rs_at(w, r)->tmpl == ws->tmpl)
            update = r;
    if (update == CS_NONE && (update = cs_rs_create(w, workload, ws->tmpl)) == CS_NONE)
        return;
    ws->new_rs = update;
    uint32_t replicas = ws->desired, n = map_ordinals(w, ws, replicas);
    if (n == 0)
        return;
    const uint32_t *pod_of = w->ordinals.data;
    bool monotonic = !c->sts.parallel;
    uint32_t partition = (uint32_t)c->sts.partition;
    for (uint32_t i = 0; i < replicas; i++) {
        if (pod_of[i] == CS_NONE) {
            bool current = !c->sts.on_delete && i < partition;
            create_pod(w, workload, current ? ws->sts_current : update, i);
            if (monotonic)
                return;
            continue;
        }
        const cs_pod *p = cs_pod_at(w, pod_of[i]);
        if ((p->phase == CS_POD_TERMINATING || !healthy(p)) && monotonic)
            return;
    }
    for (uint32_t i = n; i-- > replicas;) {   /* condemned, the highest first */
        if (pod_of[i] == CS_NONE)
            continue;
        if (cs_pod_at(w, pod_of[i])->phase != CS_POD_TERMINATING)
            cs_pod_terminate(w, pod_of[i], "ScaleDown");
        if (monotonic)
            return;
    }
    if (c->sts.on_delete)
        return;
    for (uint32_t i = replicas; i-- > partition;) {
        if (pod_of[i] == CS_NONE)
            return;   /* Parallel: created above, not running yet */
        const cs_pod *p = cs_pod_at(w, pod_of[i]);
        if (p->rs != update && p->phase != CS_POD_TERMINATING) {
            cs_pod_terminate(w, pod_of[i], "StatefulSetUpdate");
            return;
        }
        if (!healthy(p))
            return;
    }
    bool all_updated = true;
    for (uint32_t i = 0; i < replicas; i++)
        all_updated = all_updated && pod_of[i] != CS_NONE && cs_pod_at(w, pod_of[i])->rs == update;
    if (all_updated)
        ws->sts_current = update;   /* status.currentRevision = updateRevision */
}
