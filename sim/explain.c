/* explain.c -- one scheduling attempt of one pod, from the scheduler's explain records.
 *
 * The records arrive through a trace sink, so this file knows the trace's record types and
 * fields (trace.h, docs/fidelity.md "Explanations") and nothing of the scheduler's insides.
 * The sink counts "pod.created" records to learn the pod's id, keeps the first "pod.attempt" of
 * that pod at or after the asked time with the node records that follow it, and stops
 * collecting at its "pod.bound" or "pod.unschedulable". The run still goes to the end of the
 * scenario: the world has no early stop, and explain is a command for one small run.
 *
 * Ownership: the rows are malloc'd (one per node of the cluster at most) and freed here.
 */
#include "clustersim/explain.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim/report.h"
#include "clustersim/world.h"

typedef struct row {
    char node[96];
    char plugin[48];           /* the failing filter; empty for a feasible node */
    char reason[192];
    bool feasible;
    int64_t score[CS_SCORE_PLUGINS];
    int64_t total;
} row;

enum state { WAITING, COLLECTING, DONE };

typedef struct collector {
    const cs_config *cfg;
    const cs_explain_query *q;
    uint32_t created;          /* pods of the workload created so far */
    int64_t pod;               /* the pod's id once created, else -1 */
    enum state state;
    cs_time t;
    int64_t want, examined, feasible;
    int64_t weight[CS_SCORE_PLUGINS];   /* 0: the plugin did not score */
    row *rows;
    uint32_t n_rows, cap;
    char chosen[96];           /* empty: unschedulable */
    char reason[192];          /* pod.unschedulable's reason */
} collector;

static const cs_field *field(const cs_field *f, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0)
            return &f[i];
    return NULL;
}

static int64_t int_of(const cs_field *f, size_t n, const char *key)
{
    const cs_field *x = field(f, n, key);
    return x != NULL && x->kind == CS_FIELD_INT ? x->i : -1;
}

static const char *str_of(const cs_field *f, size_t n, const char *key)
{
    const cs_field *x = field(f, n, key);
    return x != NULL && x->kind == CS_FIELD_STR && x->s != NULL ? x->s : "";
}

/* The row of `node` for a score record: the last row when it is that node's, else a new one.
 * NULL when the rows are full (a record the scheduler should not have sent). */
static row *row_for(collector *c, const char *node, bool feasible)
{
    if (feasible && c->n_rows > 0 && c->rows[c->n_rows - 1].feasible &&
        strcmp(c->rows[c->n_rows - 1].node, node) == 0)
        return &c->rows[c->n_rows - 1];
    if (c->n_rows == c->cap)
        return NULL;
    row *r = &c->rows[c->n_rows++];
    memset(r, 0, sizeof *r);
    snprintf(r->node, sizeof r->node, "%s", node);
    r->feasible = feasible;
    return r;
}

static void collect(void *ctx, cs_time t, const char *type, const cs_field *f, size_t n)
{
    collector *c = ctx;
    if (c->state == DONE)
        return;
    int64_t pod = int_of(f, n, "pod");
    if (strcmp(type, "pod.created") == 0) {
        if (c->pod < 0 && strcmp(str_of(f, n, "workload"), c->cfg->workloads[c->q->workload].name) == 0 &&
            c->created++ == c->q->index)
            c->pod = pod;
        return;
    }
    if (c->pod < 0 || pod != c->pod)
        return;
    if (c->state == WAITING) {
        if (strcmp(type, "pod.attempt") == 0 && t >= c->q->at) {
            c->state = COLLECTING;
            c->t = t;
            c->want = int_of(f, n, "numFeasibleNodesToFind");
            c->examined = int_of(f, n, "examined");
            c->feasible = int_of(f, n, "feasible");
        }
        return;
    }
    const char *node = str_of(f, n, "node");
    if (strcmp(type, "pod.filter") == 0) {
        row *r = row_for(c, node, false);
        if (r != NULL) {
            snprintf(r->plugin, sizeof r->plugin, "%s", str_of(f, n, "plugin"));
            snprintf(r->reason, sizeof r->reason, "%s", str_of(f, n, "reason"));
        }
    } else if (strcmp(type, "pod.score") == 0) {
        row *r = row_for(c, node, true);
        const char *plugin = str_of(f, n, "plugin");
        for (int p = 0; r != NULL && p < CS_SCORE_PLUGINS; p++)
            if (strcmp(plugin, cs_score_plugin_names[p]) == 0) {
                r->score[p] = int_of(f, n, "score");
                c->weight[p] = int_of(f, n, "weight");
            }
    } else if (strcmp(type, "pod.total") == 0) {
        row *r = row_for(c, node, true);
        if (r != NULL)
            r->total = int_of(f, n, "total");
    } else if (strcmp(type, "pod.bound") == 0) {
        snprintf(c->chosen, sizeof c->chosen, "%s", node);
        c->state = DONE;
    } else if (strcmp(type, "pod.unschedulable") == 0) {
        snprintf(c->reason, sizeof c->reason, "%s", str_of(f, n, "reason"));
        c->state = DONE;
    }
}

bool cs_explain_parse_pod(const cs_config *cfg, const char *name, cs_explain_query *q)
{
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (strcmp(cfg->workloads[i].name, name) == 0) {
            q->workload = i;
            q->index = 0;
            return true;
        }
    const char *dash = strrchr(name, '-');
    if (dash == NULL || dash[1] == '\0' || strspn(dash + 1, "0123456789") != strlen(dash + 1) ||
        strlen(dash + 1) > 9)
        return false;
    size_t len = (size_t)(dash - name);
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        if (strlen(cfg->workloads[i].name) == len && strncmp(cfg->workloads[i].name, name, len) == 0) {
            q->workload = i;
            q->index = (uint32_t)strtoul(dash + 1, NULL, 10);
            return true;
        }
    return false;
}

static void print_attempt(FILE *f, const collector *c, const char *name)
{
    char ts[32];
    fprintf(f, "pod %s (workload %s, pod id %" PRId64 "): scheduling attempt at t=%ss\n", name,
            c->cfg->workloads[c->q->workload].name, c->pod, cs_report_format_time(c->t, ts, sizeof ts));
    fprintf(f, "numFeasibleNodesToFind: %" PRId64 " of %" PRIu32 " nodes; examined %" PRId64 ", feasible %" PRId64 "\n\n",
            c->want, c->cfg->n_nodes, c->examined, c->feasible);

    /* Columns: the node, one per score plugin that scored ("score x weight"), the total. */
    int node_w = 4;
    for (uint32_t i = 0; i < c->n_rows; i++)
        if ((int)strlen(c->rows[i].node) > node_w)
            node_w = (int)strlen(c->rows[i].node);
    int64_t best = -1;
    uint32_t ties = 0;
    for (uint32_t i = 0; i < c->n_rows; i++)
        if (c->rows[i].feasible) {
            if (c->rows[i].total > best) {
                best = c->rows[i].total;
                ties = 1;
            } else if (c->rows[i].total == best) {
                ties++;
            }
        }
    fprintf(f, "  %-*s", node_w, "NODE");
    for (int p = 0; p < CS_SCORE_PLUGINS; p++)
        if (c->weight[p] != 0)
            fprintf(f, "  %*s", (int)strlen(cs_score_plugin_names[p]), cs_score_plugin_names[p]);
    fprintf(f, "  %7s\n", "TOTAL");
    for (uint32_t i = 0; i < c->n_rows; i++) {
        const row *r = &c->rows[i];
        bool chosen = r->feasible && strcmp(r->node, c->chosen) == 0;
        fprintf(f, "%c %-*s", chosen ? '*' : ' ', node_w, r->node);
        if (!r->feasible) {
            fprintf(f, "  filtered by %s: %s\n", r->plugin, r->reason);
            continue;
        }
        for (int p = 0; p < CS_SCORE_PLUGINS; p++)
            if (c->weight[p] != 0) {
                char cell[48];
                snprintf(cell, sizeof cell, "%" PRId64 " x %" PRId64, r->score[p], c->weight[p]);
                fprintf(f, "  %*s", (int)strlen(cs_score_plugin_names[p]), cell);
            }
        fprintf(f, "  %7" PRId64 "%s%s\n", r->total, chosen ? "  chosen" : "",
                !chosen && r->total == best && ties > 1 ? "  tie" : "");
    }
    fputc('\n', f);
    if (c->chosen[0] == '\0')
        fprintf(f, "unschedulable: %s\n", c->reason[0] != '\0' ? c->reason : "no nodes available");
    else if (ties > 1)
        fprintf(f, "bound to %s: %" PRIu32 " nodes tie at the top total %" PRId64
                   "; selectHost picked one uniformly at random\n",
                c->chosen, ties, best);
    else
        fprintf(f, "bound to %s: the highest total, %" PRId64 "\n", c->chosen, best);
}

cs_status cs_explain_run(const cs_config *cfg, const cs_explain_query *q, const char *name, FILE *f,
                         cs_explain_outcome *outcome)
{
    collector c = {.cfg = cfg, .q = q, .pod = -1, .cap = cfg->n_nodes};
    if (c.cap > 0 && (c.rows = calloc(c.cap, sizeof *c.rows)) == NULL)
        return CS_ENOMEM;
    cs_trace_sink sink = {.fn = collect, .ctx = &c, .explain = true};
    cs_world *w = cs_world_new(cfg, cfg->seed, 0, &sink);
    cs_status st = w == NULL ? CS_ENOMEM : cs_world_run(w);
    cs_world_free(w);
    if (st == CS_OK) {
        if (c.pod < 0) {
            *outcome = CS_EXPLAIN_NOT_CREATED;
        } else if (c.state == WAITING) {
            *outcome = CS_EXPLAIN_NO_ATTEMPT;
        } else {
            print_attempt(f, &c, name);
            *outcome = CS_EXPLAIN_SHOWN;
        }
    }
    free(c.rows);
    return st;
}
