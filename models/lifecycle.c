/* lifecycle.c -- the kubelet's side of a pod: start, readiness, availability, crash loop, exit.
 *
 * A bound pod pulls its image and starts its container (a draw of its template's startupTime),
 * then passes its readiness probe and is Ready; Ready for minReadySeconds, it is available. A
 * template with timeToCrash has its container exit after a draw of it; the kubelet restarts it
 * after the crash-loop back-off (10 s doubling to 5 min). Every step is one timer event on the
 * pod, so nothing here scans pods.
 *
 * Common random numbers: a container's start-up times and failures (times to crash, health
 * outages) are not drawn from a stream in the order containers start, which the scheduler
 * decides, but per pod (container_draw): the k-th draw of a kind for the i-th pod a workload
 * created is the same in two runs of the same seed, whatever node it runs on and whenever it
 * starts. An image pull's time belongs to the node and the image (pull_draw), so a policy that
 * pulls less does not shift anyone's start-up.
 *
 * The rules, and where upstream has them:
 * - image pull (kubelet images.imageManager EnsureImageExists, with imagePullPolicy
 *   IfNotPresent, the default for a tagged image): with imagePullTime, a node pulls an image
 *   once, for the first pod that needs it there; pods that start while it is being pulled wait
 *   for the same pull (one pull per image and node), later ones and restarts find it there;
 *   then startupTime starts the container. The settled pods of t = 0 have their images.
 * - readiness (pkg/kubelet/prober/worker.go doProbe, prober_manager.go UpdatePodStatus): no
 *   probe means Ready once the container runs. With a probe, the kubelet triggers a first run
 *   as soon as the container has started (UpdatePodStatus, manualTriggerCh), which also
 *   re-phases the worker's ticker, so probes run at start + k * periodSeconds; a run before
 *   initialDelaySeconds have passed does nothing. The readiness result turns Success after
 *   successThreshold successes in a row, Failure after failureThreshold failures in a row
 *   (resultRun counts the run of equal results). A probe succeeds while the container's health
 *   endpoint answers, so without outages the Ready time is start + ceil(initialDelay / period)
 *   * period + (successThreshold - 1) * period. With readinessProbe.failures (a clustersim
 *   extension) the endpoint fails after a draw of `every` from the start (or the last outage's
 *   end) for a draw of `lasting`, probes at ticks in [outage start, end) fail, and the pod is
 *   NotReady from the tick that completes failureThreshold failures until the one that
 *   completes successThreshold successes; it keeps running. next_flip finds those ticks from the
 *   outage intervals, so only the flips are events. The pods of t = 0 are probed from t = 0,
 *   their successes done. A restarted container starts its counts over (upstream's worker keeps
 *   lastResult and resultRun across a restart).
 * - availability (pkg/api/v1/pod/util.go IsPodAvailable): Ready for minReadySeconds; cluster.c
 *   arms the timer when the pod turns Ready.
 * - crash loop back-off (pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff over
 *   client-go util/flowcontrol/backoff.go, with kubelet's backOffPeriod 10 s and
 *   MaxContainerBackOff 300 s): a container that exits is restarted at once when it has no
 *   back-off entry or its entry has expired (lastUpdate more than 2 x 300 s before the exit),
 *   with a new entry of 10 s; otherwise the restart waits until the exit time plus the entry's
 *   delay, which then doubles up to 300 s. So the waits are 0, 10, 20, 40, 80, 160, 300, 300 s,
 *   and a container that ran 10 min starts over at 0.
 */
#include <string.h>

#include "model.h"

#define BACKOFF_INITIAL (10 * CS_SECOND)   /* kubelet backOffPeriod */
#define BACKOFF_MAX (300 * CS_SECOND)      /* kubelet MaxContainerBackOff */

static const cs_pod_template *tmpl_of(cs_world *w, const cs_pod *p)
{
    return cs_rs_at(w, p->rs)->tmpl;
}

/* The kinds of a container's counter-based draws (the `kind` of cs_rng_draw). */
enum container_draw { DRAW_CRASH, DRAW_HEALTH, DRAW_STARTUP, DRAW_PULL };

/* The container stream's generator set to the pod's next draw of `kind`: its times to crash
 * (DRAW_CRASH), its health endpoint's intervals (DRAW_HEALTH) and its start-up times
 * (DRAW_STARTUP) are functions of (seed, replication, the workload's name, the pod's creation
 * index in it, the draw's count for the pod), never of the order in which pods start, which
 * the scheduler decides. */
static gsl_rng *container_draw(cs_world *w, cs_pod *p, enum container_draw kind)
{
    uint32_t k = kind == DRAW_CRASH ? p->crash_draws++ : kind == DRAW_HEALTH ? p->health_draws++ : p->start_draws++;
    return cs_rng_draw(w->rng[CS_STREAM_CONTAINER], w->seed, w->rep, CS_STREAM_CONTAINER,
                       cs_rng_key(w->cfg->workloads[p->workload].name, p->serial), kind, k);
}

/* The generator set to the pull of `image` on `node`: a function of the node's name, the image
 * and the machine's generation (a replaced machine pulls again), not of the pod that needs it
 * first or of when. */
static gsl_rng *pull_draw(cs_world *w, uint32_t node, const char *image)
{
    const cs_node_pool *pool = &w->cfg->pools[w->nodes[node].pool];
    uint64_t key = cs_rng_key(image, cs_rng_key(pool->name, node - pool->first_node));
    return cs_rng_draw(w->rng[CS_STREAM_CONTAINER], w->seed, w->rep, CS_STREAM_CONTAINER, key, DRAW_PULL,
                       w->nodes[node].generation);
}

static void cancel(cs_world *w, cs_event_id *id)
{
    if (*id != 0)
        cs_kernel_cancel(w->kernel, *id);
    *id = 0;
}

void cs_pod_cancel_timers(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    cancel(w, &p->start_timer);
    cancel(w, &p->crash_timer);
    cancel(w, &p->avail_timer);
}

/* Arms the crash clock of a container that just started. */
static void arm_crash(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    const cs_lifecycle *life = &tmpl_of(w, p)->life;
    if (!life->crashes)
        return;
    cs_time d = cs_dist_sample_time(&life->time_to_crash, container_draw(w, p, DRAW_CRASH));
    if (d > CS_TIME_MAX - cs_now(w))
        return;
    p->crash_timer = cs_kernel_after(w->kernel, d, w->on_pod_crash, (cs_payload){.a = pod});
}

/* t + n periods, saturating at CS_TIME_MAX. */
static cs_time ticks_after(cs_time t, int64_t n, cs_time period)
{
    if (n > 0 && period > (CS_TIME_MAX - t) / n)
        return CS_TIME_MAX;
    return t + n * period;
}

/* A new prober worker state: the next probe at `first`, after a run of `run` results `ok`, and
 * the health endpoint answering from now until a draw of `every` (forever without failures). */
static void probe_init(cs_world *w, cs_pod *p, const cs_probe *probe, cs_time first, bool ok, uint32_t run)
{
    cs_time now = cs_now(w);
    cs_time d = probe->fails ? cs_dist_sample_time(&probe->fail_every, container_draw(w, p, DRAW_HEALTH)) : CS_TIME_MAX;
    p->probe_at = first;
    p->probe_run = run;
    p->probe_ok = ok;
    p->healthy = true;
    p->health_until = d < CS_TIME_MAX - now ? now + d : CS_TIME_MAX;
}

/* Returns the probe tick at which the readiness result next flips from `ready` (the pod's current
 * Ready condition), or CS_TIME_MAX when none comes before the horizon, and accounts for the
 * probes up to and including it. The file comment has the rule. One health interval (an outage,
 * or the time between two) holds many probe ticks that all see the same answer, so it is counted
 * as a whole instead of one event per probe: the run of equal results grows by the interval's
 * tick count, and the flip falls at the tick where the run reaches the threshold. Intervals with
 * no flip (an outage shorter than failureThreshold - 1 periods, for one) are drawn and passed
 * here, with no event; only the flips become events. */
static cs_time next_flip(cs_world *w, cs_pod *p, const cs_probe *probe, bool ready)
{
    cs_time period = (cs_time)probe->period_s * CS_SECOND;
    while (p->probe_at < w->cfg->duration) {
        if (p->probe_at >= p->health_until) {   /* the endpoint fails, or answers again */
            cs_time d = cs_dist_sample_time(p->healthy ? &probe->fail_lasting : &probe->fail_every,
                                            container_draw(w, p, DRAW_HEALTH));
            p->healthy = !p->healthy;
            p->health_until = d < CS_TIME_MAX - p->health_until ? p->health_until + d : CS_TIME_MAX;
            continue;
        }
        bool ok = p->healthy;
        int64_t threshold = ok ? probe->success_threshold : probe->failure_threshold;
        int64_t run = p->probe_ok == ok ? p->probe_run : 0;
        int64_t n = p->health_until == CS_TIME_MAX ? INT64_MAX : (p->health_until - p->probe_at - 1) / period + 1;
        if (ok != ready && threshold - run <= n) {
            CS_ASSERT(run < threshold);   /* a run at its threshold has set the result */
            cs_time t = ticks_after(p->probe_at, threshold - run - 1, period);
            p->probe_ok = ok;
            p->probe_run = (uint32_t)threshold;
            p->probe_at = ticks_after(t, 1, period);
            return t;
        }
        if (n == INT64_MAX)
            return CS_TIME_MAX;   /* the endpoint keeps this answer, which the result already has */
        p->probe_ok = ok;
        p->probe_run = run + n < INT32_MAX ? (uint32_t)(run + n) : INT32_MAX;
        p->probe_at = ticks_after(p->probe_at, n, period);
    }
    return CS_TIME_MAX;
}

/* Arms the pod's next readiness flip from `ready`, if one comes. */
static void arm_probe(cs_world *w, uint32_t pod, bool ready)
{
    cs_pod *p = cs_pod_at(w, pod);
    cs_time t = next_flip(w, p, &tmpl_of(w, p)->life.readiness, ready);
    if (t != CS_TIME_MAX)
        p->start_timer = cs_kernel_at(w->kernel, t, w->on_pod_probe, (cs_payload){.a = pod});
}

/* The container runs from now: Ready at once without a probe, else at the first probe run
 * that completes successThreshold successes (the file comment derives the time). */
static void container_running(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    const cs_probe *probe = &tmpl_of(w, p)->life.readiness;
    arm_crash(w, pod);
    if (!probe->set) {
        cs_pod_set_phase(w, pod, CS_POD_READY);
        return;
    }
    cs_time now = cs_now(w), period = (cs_time)probe->period_s * CS_SECOND;
    int64_t runs = (probe->initial_delay_s + (int64_t)probe->period_s - 1) / probe->period_s;
    probe_init(w, p, probe, ticks_after(now, runs, period), false, 0);
    cs_time t = next_flip(w, p, probe, false);
    if (t == now) {
        cs_pod_set_phase(w, pod, CS_POD_READY);
        arm_probe(w, pod, true);
        return;
    }
    cs_pod_set_phase(w, pod, CS_POD_RUNNING);
    if (t != CS_TIME_MAX)
        cs_pod_at(w, pod)->start_timer = cs_kernel_at(w->kernel, t, w->on_pod_probe, (cs_payload){.a = pod});
}

typedef struct image_on_node {
    const char *name;
    cs_time at;   /* when it is (or will be) there */
} image_on_node;

/* How long the pod waits for its image on its node; starts the pull when no pod has (the file
 * comment has the rule). `pull` false only records the image as there. */
static cs_time image_wait(cs_world *w, const cs_pod *p, bool pull)
{
    const cs_pod_template *t = tmpl_of(w, p);
    if (w->images == NULL || p->node == CS_NONE)
        return 0;
    cs_vec *v = &w->images[p->node];
    cs_time now = cs_now(w);
    for (uint32_t i = 0; i < v->len; i++) {
        const image_on_node *im = &((const image_on_node *)v->data)[i];
        if (strcmp(im->name, t->image) == 0)
            return im->at > now ? im->at - now : 0;
    }
    cs_time d = pull && t->life.has_pull ? cs_dist_sample_time(&t->life.pull, pull_draw(w, p->node, t->image)) : 0;
    uint32_t i = cs_vec_push(w, v, sizeof(image_on_node));
    if (i != CS_NONE)
        ((image_on_node *)v->data)[i] = (image_on_node){t->image, d < CS_TIME_MAX - now ? now + d : CS_TIME_MAX};
    return d;
}

void cs_pod_start(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    cs_pod_cancel_timers(w, pod);
    cs_pod_set_phase(w, pod, CS_POD_STARTING);
    cs_time pull = image_wait(w, p, true);
    cs_time d = cs_dist_sample_time(&tmpl_of(w, p)->startup, container_draw(w, p, DRAW_STARTUP));
    d = pull < CS_TIME_MAX - d ? pull + d : CS_TIME_MAX;
    if (d > CS_TIME_MAX - cs_now(w))
        return;   /* beyond any horizon */
    p->start_timer = cs_kernel_after(w->kernel, d, w->on_pod_started, (cs_payload){.a = pod});
}

void cs_pod_settle(cs_world *w, uint32_t pod)
{
    cs_pod *p = cs_pod_at(w, pod);
    cs_pod_cancel_timers(w, pod);
    image_wait(w, p, false);   /* its image is on its node */
    cs_pod_set_phase(w, pod, CS_POD_READY);
    if (p->avail_timer != 0) {   /* settled: Ready since before t = 0 */
        cancel(w, &p->avail_timer);
        cs_pod_set_available(w, pod, true);
    }
    arm_crash(w, pod);
    const cs_probe *probe = &tmpl_of(w, p)->life.readiness;
    if (probe->set) {   /* probed from t = 0 on, its run of successes long done */
        probe_init(w, p, probe, cs_now(w), true, (uint32_t)probe->success_threshold);
        arm_probe(w, pod, true);
    }
}

/* The container is running (after the first start or a restart). */
static void on_started(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->start_timer = 0;
    if (p->phase == CS_POD_STARTING || p->phase == CS_POD_RUNNING)
        container_running(w, pl.a);
}

/* The readiness result flips at this probe (next_flip found the tick): Ready, or NotReady with
 * the container still running, as readiness never restarts it; then on to the next flip. */
static void on_probe(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->start_timer = 0;
    if (p->phase != CS_POD_RUNNING && p->phase != CS_POD_READY)
        return;
    bool ready = p->phase == CS_POD_RUNNING;
    if (!ready && w->trace.fn != NULL) {
        char node[96];
        cs_field f[3] = {CS_INT("pod", pl.a), CS_STR("workload", w->cfg->workloads[p->workload].name),
                         CS_STR("node", cs_config_node_name(w->cfg, p->node, node, sizeof node))};
        cs_world_trace(w, "pod.notready", f, 3);
    }
    cs_pod_set_phase(w, pl.a, ready ? CS_POD_READY : CS_POD_RUNNING);
    arm_probe(w, pl.a, ready);
}

static void on_available(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->avail_timer = 0;
    if (p->phase == CS_POD_READY)
        cs_pod_set_available(w, pl.a, true);
}

/* The container exited: not ready at once (a probe of a non-running container fails), then
 * restarted after the back-off (doBackOff; the file comment has the rule). */
static void on_crash(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->crash_timer = 0;
    if (p->phase != CS_POD_READY && p->phase != CS_POD_RUNNING)
        return;
    cancel(w, &p->start_timer);
    cs_time now = cs_now(w);
    if (w->trace.fn != NULL) {
        cs_field f[3] = {CS_INT("pod", pl.a), CS_STR("workload", w->cfg->workloads[p->workload].name),
                         CS_INT("restarts", p->restarts)};
        cs_world_trace(w, "pod.crashed", f, 3);
    }
    if (!p->crashed) {   /* before the phase, so the observers see a failure, not a gap */
        p->crashed = true;
        w->workloads[p->workload].crashed++;
    }
    cs_pod_set_phase(w, pl.a, CS_POD_RUNNING);
    cs_time wait = 0;
    if (p->backoff_ns == 0 || now - p->backoff_at > 2 * BACKOFF_MAX) {
        p->backoff_ns = BACKOFF_INITIAL;   /* Next: a new (or expired) entry */
    } else {
        wait = p->backoff_ns;              /* IsInBackOffSince(exit): wait out the entry */
        p->backoff_ns = p->backoff_ns * 2 < BACKOFF_MAX ? p->backoff_ns * 2 : BACKOFF_MAX;
    }
    p->backoff_at = now;
    p->start_timer = cs_kernel_after(w->kernel, wait, w->on_pod_restart, pl);
}

/* The kubelet starts the container again: restartCount + 1, then its start-up time. */
static void on_restart(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->start_timer = 0;
    if (p->phase != CS_POD_RUNNING)
        return;
    p->restarts++;
    w->restarts++;
    if (w->trace.fn != NULL) {
        cs_field f[3] = {CS_INT("pod", pl.a), CS_STR("workload", w->cfg->workloads[p->workload].name),
                         CS_INT("restarts", p->restarts)};
        cs_world_trace(w, "pod.restarted", f, 3);
    }
    cs_time d = cs_dist_sample_time(&tmpl_of(w, p)->startup, container_draw(w, p, DRAW_STARTUP));
    p->start_timer = cs_kernel_after(w->kernel, d, w->on_pod_started, pl);
}

/* The grace period (or the container's shutdown) is over: the pod is gone, deleted for the
 * reason it was terminated with. */
static void on_gone(cs_kernel *k, void *model, cs_payload pl)
{
    (void)k;
    cs_world *w = model;
    cs_pod *p = cs_pod_at(w, pl.a);
    p->start_timer = 0;
    cs_pod_delete(w, pl.a, p->term_reason);
}

/* Image caches only when some template or rollout has an imagePullTime. */
static bool pulls_images(const cs_config *cfg)
{
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (cfg->workloads[i].life.has_pull)
            return true;
    for (uint32_t i = 0; i < cfg->n_timeline; i++)
        if (cfg->timeline[i].kind == CS_ACTION_ROLLOUT && cfg->timeline[i].patch->has_pull)
            return true;
    return false;
}

cs_status cs_lifecycle_attach(cs_world *w)
{
    cs_kernel *k = w->kernel;
    if (pulls_images(w->cfg) &&
        (w->images = cs_arena_calloc(w->arena, w->cfg->n_nodes + 1, sizeof *w->images)) == NULL)
        return CS_ENOMEM;
    w->on_pod_started = cs_kernel_on(k, "pod.started", on_started, w);
    w->on_pod_probe = cs_kernel_on(k, "pod.probe", on_probe, w);
    w->on_pod_available = cs_kernel_on(k, "pod.available", on_available, w);
    w->on_pod_crash = cs_kernel_on(k, "pod.crash", on_crash, w);
    w->on_pod_restart = cs_kernel_on(k, "pod.restart", on_restart, w);
    w->on_pod_gone = cs_kernel_on(k, "pod.gone", on_gone, w);
    bool ok = w->on_pod_started != CS_HANDLER_NONE && w->on_pod_probe != CS_HANDLER_NONE &&
              w->on_pod_available != CS_HANDLER_NONE && w->on_pod_crash != CS_HANDLER_NONE &&
              w->on_pod_restart != CS_HANDLER_NONE && w->on_pod_gone != CS_HANDLER_NONE;
    return ok ? CS_OK : CS_ENOMEM;
}
