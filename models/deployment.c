/* deployment.c -- the Deployment controller (pkg/controller/deployment), one sync at a time.
 *
 * A sync (syncDeployment) runs whenever the workload's pods or spec change (workloads.c queues
 * it). It follows upstream step by step, each function below naming its upstream twin:
 * checkPausedConditions; a paused Deployment or a scaling event only scales (sync, with
 * proportional scaling); otherwise rolloutRolling (reconcileNewReplicaSet, then
 * reconcileOldReplicaSets: cleanupUnhealthyReplicas first, then
 * scaleDownOldReplicaSetsForRollingUpdate) or rolloutRecreate; cleanupDeployment
 * (revisionHistoryLimit) once complete; syncRolloutStatus with the Progressing condition and
 * requeueStuckDeployment's timer for progressDeadlineSeconds.
 *
 * The arithmetic is in pure functions over plain numbers (cs_rs_view), so tests check it
 * against upstream's rules with exact values. The status the controller reads is the
 * ReplicaSets' at the start of the step, as upstream reads RS status that the RS controller has
 * not updated yet: the views are computed first, then applied.
 *
 * What upstream keeps in annotations the RSs keep as fields: revision, desired-replicas and
 * max-replicas. The per-RS arrays of a sync have one entry per live RS (w->deploy_buf, grown
 * in the arena as needed), so no number of revisions is too many. A template is identified by
 * its address: a rollout makes a new one, a rollback points back at an old RS's, so
 * FindNewReplicaSet is a pointer comparison.
 */
#include <math.h>
#include <string.h>

#include "model.h"

/* Progressing condition reasons (deployment/util/deployment_util.go). */
enum {
    COND_NONE,
    COND_NEW_RS_CREATED,     /* NewReplicaSetCreated, True */
    COND_FOUND_NEW_RS,       /* FoundNewReplicaSet, True */
    COND_RS_UPDATED,         /* ReplicaSetUpdated, True */
    COND_NEW_RS_AVAILABLE,   /* NewReplicaSetAvailable, True: complete */
    COND_TIMED_OUT,          /* ProgressDeadlineExceeded, False */
    COND_PAUSED,             /* DeploymentPaused, Unknown */
    COND_RESUMED,            /* DeploymentResumed, Unknown */
};

/* The rate limiter's first delay (workqueue DefaultControllerRateLimiter, 5 ms): a Deployment
 * whose deadline is less than a second away is requeued with it (requeueStuckDeployment). */
#define REQUEUE_RATE_LIMITED (5 * CS_MS)
#define MAX_INT32 2147483647

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

/* ---- the arithmetic (deployment/util/deployment_util.go, rolling.go) ------------------- */

int32_t cs_scaled_value(cs_int_or_percent v, int32_t total, bool round_up)
{
    if (!v.percent)
        return v.value;
    int64_t x = (int64_t)v.value * total;   /* math.Ceil / math.Floor of value * total / 100 */
    return (int32_t)(round_up ? (x + 99) / 100 : x / 100);
}

void cs_deploy_fenceposts(const cs_deploy_spec *d, int32_t desired, int32_t *surge, int32_t *unavailable)
{
    *surge = cs_scaled_value(d->max_surge, desired, true);
    *unavailable = cs_scaled_value(d->max_unavailable, desired, false);
    if (*surge == 0 && *unavailable == 0)
        *unavailable = 1;   /* "Validation should never allow the user to explicitly use zero values for both" */
}

int32_t cs_deploy_max_unavailable(const cs_deploy_spec *d, int32_t replicas)
{
    if (d->strategy != CS_DEPLOY_ROLLING_UPDATE || replicas == 0)
        return 0;
    int32_t surge, unavailable;
    cs_deploy_fenceposts(d, replicas, &surge, &unavailable);
    return unavailable > replicas ? replicas : unavailable;
}

int32_t cs_deploy_max_surge(const cs_deploy_spec *d, int32_t replicas)
{
    if (d->strategy != CS_DEPLOY_ROLLING_UPDATE)
        return 0;
    int32_t surge, unavailable;
    cs_deploy_fenceposts(d, replicas, &surge, &unavailable);
    return surge;
}

int32_t cs_deploy_new_rs_replicas(const cs_deploy_spec *d, int32_t replicas, int32_t all_replicas,
                                  int32_t new_replicas)
{
    if (d->strategy == CS_DEPLOY_RECREATE)
        return replicas;
    int32_t max_total = replicas + cs_scaled_value(d->max_surge, replicas, true);
    if (all_replicas >= max_total)
        return new_replicas;   /* cannot scale up */
    int32_t up = min32(max_total - all_replicas, replicas - new_replicas);
    return new_replicas + up;
}

int32_t cs_deploy_cleanup_unhealthy(cs_rs_view *old, uint32_t n, int32_t max_cleanup)
{
    int32_t total = 0;
    for (uint32_t i = 0; i < n && total < max_cleanup; i++) {
        if (old[i].replicas == 0 || old[i].replicas == old[i].available)
            continue;   /* no unhealthy replicas */
        int32_t down = min32(max_cleanup - total, old[i].replicas - old[i].available);
        old[i].replicas -= down;
        total += down;
    }
    return total;
}

int32_t cs_deploy_scale_down_old(cs_rs_view *old, uint32_t n, int32_t all_available, int32_t min_available)
{
    if (all_available <= min_available)
        return 0;   /* cannot scale down */
    int32_t want = all_available - min_available, total = 0;
    for (uint32_t i = 0; i < n && total < want; i++) {
        if (old[i].replicas == 0)
            continue;
        int32_t down = min32(old[i].replicas, want - total);
        old[i].replicas -= down;
        total += down;
    }
    return total;
}

/* ---- the controller --------------------------------------------------------------------- */

typedef struct dctx {   /* one sync's view of a Deployment */
    cs_world *w;
    uint32_t wl;
    const cs_deploy_spec *spec;
    cs_workload_state *ws;
    int32_t replicas;    /* spec.replicas */
    uint32_t new_rs;     /* CS_NONE: none yet */
    /* Scratch arrays of one entry per live RS (cap), in w->deploy_buf. */
    uint32_t cap;
    uint32_t *ids, *active;
    int32_t *size;
    cs_rs_view *views;
} dctx;

static cs_rs *rs_of(const dctx *c, uint32_t id)
{
    return cs_rs_at(c->w, id);
}

#define EACH_RS(c, r) \
    for (uint32_t r = (c)->ws->first_rs; r != CS_NONE; r = rs_of((c), r)->next) \
        if (!rs_of((c), r)->deleted)

static void set_cond(dctx *c, uint8_t reason)
{
    if (c->ws->cond == reason)
        return;   /* SetDeploymentCondition keeps a condition of the same status and reason */
    c->ws->cond = reason;
    c->ws->cond_updated = cs_now(c->w);
}

static bool has_deadline(const dctx *c)
{
    return c->spec->progress_deadline_s != MAX_INT32;
}

/* scaleReplicaSet: sets the size and the replicas annotations; true when either changed. */
static bool scale_rs(dctx *c, uint32_t id, int32_t size)
{
    cs_rs *rs = rs_of(c, id);
    uint32_t max = (uint32_t)(c->replicas + cs_deploy_max_surge(c->spec, c->replicas));
    if (rs->replicas == (uint32_t)size && rs->ann_desired == (uint32_t)c->replicas && rs->ann_max == max)
        return false;
    rs->ann_desired = (uint32_t)c->replicas;
    rs->ann_max = max;
    cs_rs_scale(c->w, id, (uint32_t)size);
    return true;
}

static int32_t sum_replicas(const dctx *c)
{
    int32_t n = 0;
    EACH_RS(c, r) n += (int32_t)rs_of(c, r)->replicas;
    return n;
}

/* getNewReplicaSet: the oldest RS whose template is spec.template (FindNewReplicaSet), its
 * revision raised above the old ones'; else, when `create`, a new RS of NewRSNewReplicas. */
static void get_new_rs(dctx *c, bool create)
{
    c->new_rs = CS_NONE;
    uint32_t max_old = 0;
    EACH_RS(c, r) {
        const cs_rs *rs = rs_of(c, r);
        if (rs->tmpl == c->ws->tmpl && c->new_rs == CS_NONE)
            c->new_rs = r;
        else if (rs->revision > max_old)
            max_old = rs->revision;
    }
    if (c->new_rs != CS_NONE) {
        cs_rs *rs = rs_of(c, c->new_rs);
        if (rs->revision <= max_old) {   /* SetNewReplicaSetAnnotations: MaxRevision(old) + 1 */
            rs->revision = max_old + 1;
            if (rs->revision > c->ws->revision)
                c->ws->revision = rs->revision;
        }
        if (has_deadline(c) && c->ws->cond == COND_NONE)
            set_cond(c, COND_FOUND_NEW_RS);
        c->ws->new_rs = c->new_rs;
        return;
    }
    if (!create)
        return;
    int32_t size = cs_deploy_new_rs_replicas(c->spec, c->replicas, sum_replicas(c), 0);
    c->ws->revision = max_old;   /* the new RS takes MaxRevision(old) + 1 */
    uint32_t id = cs_rs_create(c->w, c->wl, c->ws->tmpl);
    if (id == CS_NONE)
        return;
    c->new_rs = c->ws->new_rs = id;
    if (c->w->trace.fn != NULL) {
        cs_field f[3] = {CS_STR("workload", c->w->cfg->workloads[c->wl].name), CS_INT("replicaset", id),
                         CS_INT("revision", rs_of(c, id)->revision)};
        cs_world_trace(c->w, "replicaset.created", f, 3);
    }
    if (has_deadline(c))
        set_cond(c, COND_NEW_RS_CREATED);
    scale_rs(c, id, size);
}

/* Old RSs (all but the new one), oldest first (ReplicaSetsByCreationTimestamp: our RS list is in
 * creation order, ties in one instant by id where upstream compares names). */
static uint32_t old_rs_views(const dctx *c, bool active_only, uint32_t *ids, cs_rs_view *v)
{
    uint32_t cap = c->cap;
    uint32_t n = 0;
    EACH_RS(c, r) {
        const cs_rs *rs = rs_of(c, r);
        if (r == c->new_rs || (active_only && rs->replicas == 0) || n == cap)
            continue;
        ids[n] = r;
        v[n] = (cs_rs_view){(int32_t)rs->replicas, (int32_t)rs->available};
        n++;
    }
    return n;
}

static uint32_t n_rs(const dctx *c)
{
    uint32_t n = 0;
    EACH_RS(c, r) n++;
    return n;
}

/* rolling.go reconcileOldReplicaSets. */
static bool reconcile_old(dctx *c)
{
    uint32_t *ids = c->ids;
    cs_rs_view *v = c->views;
    uint32_t n = old_rs_views(c, true, ids, v);
    int32_t old_pods = 0, all_available = 0;
    for (uint32_t i = 0; i < n; i++)
        old_pods += v[i].replicas;
    if (old_pods == 0)
        return false;
    EACH_RS(c, r) all_available += (int32_t)rs_of(c, r)->available;
    int32_t all_pods = sum_replicas(c);
    int32_t min_available = c->replicas - cs_deploy_max_unavailable(c->spec, c->replicas);
    const cs_rs *nrs = rs_of(c, c->new_rs);
    int32_t new_unavailable = (int32_t)nrs->replicas - (int32_t)nrs->available;
    int32_t max_scaled_down = all_pods - min_available - new_unavailable;
    if (max_scaled_down <= 0)
        return false;
    int32_t cleaned = cs_deploy_cleanup_unhealthy(v, n, max_scaled_down);
    int32_t scaled = cs_deploy_scale_down_old(v, n, all_available, min_available);
    for (uint32_t i = 0; i < n; i++)
        scale_rs(c, ids[i], v[i].replicas);
    return cleaned + scaled > 0;
}

/* The status fields syncRolloutStatus compares (calculateStatus). */
typedef struct dstatus {
    int32_t replicas, updated, ready, available;
} dstatus;

static dstatus calc_status(const dctx *c)
{
    dstatus s = {0, 0, 0, 0};
    EACH_RS(c, r) {
        const cs_rs *rs = rs_of(c, r);
        s.replicas += (int32_t)cs_rs_active(rs);
        s.ready += (int32_t)rs->count[CS_POD_READY];
        s.available += (int32_t)rs->available;
    }
    if (c->new_rs != CS_NONE)
        s.updated = (int32_t)cs_rs_active(rs_of(c, c->new_rs));
    return s;
}

/* util.DeploymentComplete */
static bool complete(const dctx *c, const dstatus *s)
{
    return s->updated == c->replicas && s->replicas == c->replicas && s->available == c->replicas;
}

/* sync.go cleanupDeployment: the oldest revisions beyond revisionHistoryLimit go, if empty. */
static void cleanup(dctx *c)
{
    uint32_t n_old = n_rs(c) - (c->new_rs != CS_NONE);
    int32_t diff = (int32_t)n_old - c->spec->revision_history_limit;
    while (diff-- > 0) {
        uint32_t oldest = CS_NONE;   /* ReplicaSetsByRevision: the lowest revision first */
        EACH_RS(c, r) {
            if (r != c->new_rs && (oldest == CS_NONE || rs_of(c, r)->revision < rs_of(c, oldest)->revision))
                oldest = r;
        }
        cs_rs *rs = rs_of(c, oldest);
        if (cs_rs_active(rs) != 0 || rs->replicas != 0)
            return;   /* "Avoid delete replica set with non-zero replica counts"; later ones are newer */
        rs->deleted = true;
        if (c->w->trace.fn != NULL) {
            cs_field f[3] = {CS_STR("workload", c->w->cfg->workloads[c->wl].name), CS_INT("replicaset", oldest),
                             CS_INT("revision", rs->revision)};
            cs_world_trace(c->w, "replicaset.deleted", f, 3);
        }
    }
}

/* progress.go syncRolloutStatus, with requeueStuckDeployment. */
static void rollout_status(dctx *c)
{
    cs_workload_state *ws = c->ws;
    dstatus s = calc_status(c);
    cs_time now = cs_now(c->w);
    cs_time deadline = (cs_time)c->spec->progress_deadline_s * CS_SECOND;
    bool done = s.replicas == s.updated && ws->cond == COND_NEW_RS_AVAILABLE;
    if (has_deadline(c) && !done) {
        int32_t old_old = ws->st_replicas - ws->st_updated, new_old = s.replicas - s.updated;
        if (complete(c, &s)) {
            set_cond(c, COND_NEW_RS_AVAILABLE);
        } else if (s.updated > ws->st_updated || new_old < old_old || s.ready > ws->st_ready ||
                   s.available > ws->st_available) {   /* util.DeploymentProgressing */
            ws->cond = COND_RS_UPDATED;
            ws->cond_updated = now;                     /* lastUpdateTime moves with progress */
        } else if (ws->cond != COND_NONE && ws->cond != COND_NEW_RS_AVAILABLE &&
                   (ws->cond == COND_TIMED_OUT || ws->cond_updated + deadline < now)) {   /* DeploymentTimedOut */
            if (ws->cond != COND_TIMED_OUT) {
                c->w->deadline_exceeded++;
                if (c->w->trace.fn != NULL) {
                    cs_field f[1] = {CS_STR("workload", c->w->cfg->workloads[c->wl].name)};
                    cs_world_trace(c->w, "deployment.progressDeadlineExceeded", f, 1);
                }
            }
            set_cond(c, COND_TIMED_OUT);
        }
    }
    ws->st_replicas = s.replicas;
    ws->st_updated = s.updated;
    ws->st_ready = s.ready;
    ws->st_available = s.available;
    if (ws->progress_timer != 0)
        cs_kernel_cancel(c->w->kernel, ws->progress_timer);
    ws->progress_timer = 0;
    /* Upstream also requeues a complete Deployment that lost a pod (NewReplicaSetAvailable),
     * rate-limited, for ever; such a sync can change nothing (DeploymentTimedOut is false for
     * that reason), so it is left out. */
    if (!has_deadline(c) || ws->cond == COND_NONE || complete(c, &s) || ws->cond == COND_TIMED_OUT ||
        ws->cond == COND_NEW_RS_AVAILABLE)
        return;
    cs_time after = ws->cond_updated + deadline - now;
    /* "Add a second to avoid milliseconds skew in AddAfter." */
    after = after < CS_SECOND ? REQUEUE_RATE_LIMITED : after + CS_SECOND;
    ws->progress_timer = cs_kernel_after(c->w->kernel, after, c->w->on_progress_check, (cs_payload){.a = c->wl});
}

/* Sorts RS ids by size, larger first, ties newer first (ReplicaSetsBySizeNewer) or older first
 * (ReplicaSetsBySizeOlder); insertion sort, as a Deployment has few RSs. */
static void sort_by_size(const dctx *c, uint32_t *ids, uint32_t n, bool newer)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = ids[i], j = i;
        for (; j > 0; j--) {
            const cs_rs *a = rs_of(c, x), *b = rs_of(c, ids[j - 1]);
            bool before = a->replicas != b->replicas ? a->replicas > b->replicas
                                                     : (newer ? x > ids[j - 1] : x < ids[j - 1]);
            if (!before)
                break;
            ids[j] = ids[j - 1];
        }
        ids[j] = x;
    }
}

/* sync.go scale, with proportional scaling (getReplicaSetFraction, GetProportion). */
static void scale(dctx *c)
{
    uint32_t *ids = c->ids, *active = c->active, n_active = 0, newest = CS_NONE;
    int32_t *size = c->size;
    EACH_RS(c, r) {
        newest = r;
        if (rs_of(c, r)->replicas > 0)
            active[n_active++] = r;
    }
    /* FindActiveOrLatest */
    uint32_t only = n_active == 1 ? active[0] : n_active == 0 ? (c->new_rs != CS_NONE ? c->new_rs : newest) : CS_NONE;
    if (only != CS_NONE) {
        if ((int32_t)rs_of(c, only)->replicas != c->replicas)
            scale_rs(c, only, c->replicas);
        return;
    }
    const cs_rs *nrs = c->new_rs != CS_NONE ? rs_of(c, c->new_rs) : NULL;
    if (nrs != NULL && (int32_t)nrs->replicas == c->replicas && (int32_t)nrs->ann_desired == c->replicas &&
        (int32_t)nrs->available == c->replicas) {   /* IsSaturated: the old RSs go to 0 */
        for (uint32_t i = 0; i < n_active; i++)
            if (active[i] != c->new_rs)
                scale_rs(c, active[i], 0);
        return;
    }
    if (c->spec->strategy != CS_DEPLOY_ROLLING_UPDATE)
        return;
    int32_t all = 0;
    for (uint32_t i = 0; i < n_active; i++)
        all += (int32_t)rs_of(c, active[i])->replicas;
    int32_t allowed = c->replicas > 0 ? c->replicas + cs_deploy_max_surge(c->spec, c->replicas) : 0;
    int32_t to_add = allowed - all, added = 0;
    memcpy(ids, active, n_active * sizeof *ids);
    if (to_add != 0)
        sort_by_size(c, ids, n_active, to_add > 0);
    for (uint32_t i = 0; i < n_active; i++) {
        const cs_rs *rs = rs_of(c, ids[i]);
        int32_t cur = (int32_t)rs->replicas, prop = 0;
        if (to_add != 0 && cur != 0 && to_add != added) {
            int32_t fraction;
            if (c->replicas == 0) {
                fraction = -cur;
            } else {
                int32_t dep = c->replicas + cs_deploy_max_surge(c->spec, c->replicas);
                int32_t annotated = rs->ann_max > 0 ? (int32_t)rs->ann_max : c->ws->st_replicas;
                double x = annotated > 0 ? (double)(cur * dep) / (double)annotated : (double)cur;
                fraction = (int32_t)lround(x) - cur;   /* integer.RoundToInt32 */
            }
            int32_t left = to_add - added;
            prop = to_add > 0 ? min32(fraction, left) : (fraction > left ? fraction : left);
        }
        size[i] = cur + prop;
        added += prop;
    }
    for (uint32_t i = 0; i < n_active; i++) {
        if (i == 0 && to_add != 0) {   /* leftovers to the largest */
            size[0] += to_add - added;
            if (size[0] < 0)
                size[0] = 0;
        }
        scale_rs(c, ids[i], size[i]);
    }
}

/* sync.go isScalingEvent: an active RS whose desired-replicas annotation is not spec.replicas. */
static bool scaling_event(const dctx *c)
{
    EACH_RS(c, r) {
        if (rs_of(c, r)->replicas > 0 && (int32_t)rs_of(c, r)->ann_desired != c->replicas)
            return true;
    }
    return false;
}

/* recreate.go rolloutRecreate. */
static void recreate(dctx *c)
{
    get_new_rs(c, false);
    bool scaled = false;
    EACH_RS(c, r) {
        if (r != c->new_rs && rs_of(c, r)->replicas > 0)
            scaled |= scale_rs(c, r, 0);
    }
    if (scaled)
        return;
    EACH_RS(c, r) {
        if (r != c->new_rs && rs_of(c, r)->first_pod != CS_NONE)
            return;   /* oldPodsRunning: terminating pods count */
    }
    if (c->new_rs == CS_NONE)
        get_new_rs(c, true);
    if (c->new_rs == CS_NONE)
        return;
    scale_rs(c, c->new_rs, c->replicas);   /* scaleUpNewReplicaSetForRecreate */
    dstatus s = calc_status(c);
    if (complete(c, &s))
        cleanup(c);
}

/* rolling.go rolloutRolling. */
static void rolling(dctx *c)
{
    get_new_rs(c, true);
    if (c->new_rs == CS_NONE)
        return;
    const cs_rs *nrs = rs_of(c, c->new_rs);
    /* reconcileNewReplicaSet */
    if ((int32_t)nrs->replicas != c->replicas) {
        int32_t size = (int32_t)nrs->replicas > c->replicas
                           ? c->replicas
                           : cs_deploy_new_rs_replicas(c->spec, c->replicas, sum_replicas(c), (int32_t)nrs->replicas);
        if (scale_rs(c, c->new_rs, size))
            return;
    }
    if (reconcile_old(c))
        return;
    dstatus s = calc_status(c);
    if (complete(c, &s))
        cleanup(c);
}

void cs_deploy_sync(cs_world *w, uint32_t workload)
{
    const cs_workload *wl = &w->cfg->workloads[workload];
    dctx c = {.w = w, .wl = workload, .spec = &wl->deploy, .ws = &w->workloads[workload],
              .replicas = (int32_t)w->workloads[workload].desired, .new_rs = CS_NONE};
    /* One entry per live RS, and one more for a new RS this sync may create. */
    c.cap = n_rs(&c) + 1;
    size_t bytes = (size_t)c.cap * (2 * sizeof(uint32_t) + sizeof(int32_t) + sizeof(cs_rs_view));
    if (bytes > w->deploy_buf_size) {
        void *buf = cs_arena_alloc(w->arena, 2 * bytes);   /* the old block stays in the arena */
        if (buf == NULL) {
            w->oom = true;
            cs_kernel_stop(w->kernel);
            return;
        }
        w->deploy_buf = buf;
        w->deploy_buf_size = 2 * bytes;
    }
    c.views = w->deploy_buf;   /* the 8-byte-aligned array first */
    c.ids = (uint32_t *)(c.views + c.cap);
    c.active = c.ids + c.cap;
    c.size = (int32_t *)(c.active + c.cap);
    /* checkPausedConditions */
    if (has_deadline(&c) && c.ws->paused && c.ws->cond != COND_PAUSED)
        set_cond(&c, COND_PAUSED);
    else if (has_deadline(&c) && !c.ws->paused && c.ws->cond == COND_PAUSED)
        set_cond(&c, COND_RESUMED);
    if (c.ws->paused || scaling_event(&c)) {   /* sync: scale only */
        get_new_rs(&c, false);
        scale(&c);
        if (c.ws->paused)
            cleanup(&c);
        dstatus s = calc_status(&c);
        c.ws->st_replicas = s.replicas;
        c.ws->st_updated = s.updated;
        c.ws->st_ready = s.ready;
        c.ws->st_available = s.available;
    } else {
        if (wl->deploy.strategy == CS_DEPLOY_RECREATE)
            recreate(&c);
        else
            rolling(&c);
        rollout_status(&c);
    }
    bool rolling_now = false;
    EACH_RS(&c, r) {
        if (r != c.new_rs && (rs_of(&c, r)->replicas > 0 || cs_rs_active(rs_of(&c, r)) > 0))
            rolling_now = true;
    }
    if (rolling_now != c.ws->rolling) {
        c.ws->rolling = rolling_now;
        cs_metrics_pod_changed(w, workload, CS_POD_PHASES, CS_POD_PHASES);
    }
}

static void on_progress_check(cs_kernel *k, void *model, cs_payload p)
{
    (void)k;
    cs_world *w = model;
    w->workloads[p.a].progress_timer = 0;
    cs_workload_reconcile(w, p.a);
}

cs_status cs_deploy_attach(cs_world *w)
{
    w->on_progress_check = cs_kernel_on(w->kernel, "deployment.progress", on_progress_check, w);
    return w->on_progress_check == CS_HANDLER_NONE ? CS_ENOMEM : CS_OK;
}
