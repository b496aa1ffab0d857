/* node_tree.c -- the order in which the scheduler walks the nodes, after kube-scheduler's
 * node tree (pkg/scheduler/internal/cache/node_tree.go).
 *
 * Upstream keeps each zone's node names in the order they were added and lists the nodes zone
 * by zone, round robin: the first node of every zone, then the second of every zone, and so on
 * (nodeTree.list). The scheduler's snapshot list, which numFeasibleNodesToFind and the
 * rotating start index walk, and which preemption searches from its random offset, is that
 * list. So a cycle that examines only part of a large cluster sees its zones evenly, and
 * two clusters that differ only in how their nodes are numbered are walked alike.
 *
 * A zone here is upstream's zone key (utilnode.GetZoneKey): the node's region and zone labels
 * (topology.kubernetes.io/zone and /region, else their failure-domain.beta.kubernetes.io twins), "" for a node
 * with neither. Zones are ordered by their first node; a deleted Node (a replaced machine)
 * leaves its zone's list, a zone left empty leaves the zone order, and a node that registers
 * again is appended to its zone, which comes last if it had emptied: as addNode and
 * removeNode do. The list is rebuilt then; nodes come and go rarely, so that is cheaper than
 * keeping it incrementally.
 *
 * Cost: building is linear in the nodes times the distinct zone keys, once per world.
 */
#include <stdio.h>
#include <string.h>

#include "sched.h"

struct cs_node_tree {
    uint32_t *key_of;       /* per node: its zone key's id */
    uint32_t n_keys;
    cs_vec *members;        /* per key: uint32_t nodes in the order added */
    cs_vec zones;           /* uint32_t keys with members, in the order they gained their first */
    uint32_t *order;        /* the list: n nodes */
    uint32_t n;
};

/* utilnode.GetZoneKey: region + ":\x00:" + zone, or "" with neither label. */
static void zone_key(const cs_world *w, uint32_t node, char *out, size_t size)
{
    char buf[96];
    const char *zone = cs_node_label(w, node, CS_LABEL_ZONE, buf, sizeof buf);
    if (zone == NULL)
        zone = cs_node_label(w, node, "failure-domain.beta.kubernetes.io/zone", buf, sizeof buf);
    const char *region = cs_node_label(w, node, "topology.kubernetes.io/region", buf, sizeof buf);
    if (region == NULL)
        region = cs_node_label(w, node, "failure-domain.beta.kubernetes.io/region", buf, sizeof buf);
    if ((zone == NULL || zone[0] == '\0') && (region == NULL || region[0] == '\0'))
        out[0] = '\0';
    else   /* '\x01' stands for upstream's NUL, which a C string cannot hold; no label has either */
        snprintf(out, size, "%s:\x01:%s", region != NULL ? region : "", zone != NULL ? zone : "");
}

/* nodeTree.list: round robin over the zones in their order. */
static void rebuild(cs_node_tree *t)
{
    const uint32_t *zones = t->zones.data;
    uint32_t n = 0;
    for (uint32_t index = 0, added = 1; added > 0; index++) {
        added = 0;
        for (uint32_t z = 0; z < t->zones.len; z++) {
            const cs_vec *m = &t->members[zones[z]];
            if (index < m->len) {
                t->order[n++] = ((const uint32_t *)m->data)[index];
                added++;
            }
        }
    }
    t->n = n;
}

static bool add(cs_world *w, cs_node_tree *t, uint32_t node)
{
    uint32_t key = t->key_of[node];
    cs_vec *m = &t->members[key];
    if (m->len == 0) {
        uint32_t z = cs_vec_push(w, &t->zones, sizeof(uint32_t));
        if (z == CS_NONE)
            return false;
        ((uint32_t *)t->zones.data)[z] = key;
    }
    uint32_t i = cs_vec_push(w, m, sizeof(uint32_t));
    if (i == CS_NONE)
        return false;
    ((uint32_t *)m->data)[i] = node;
    return true;
}

/* Removes the first occurrence of v from an array of uint32_t, keeping the order. */
static void remove_value(cs_vec *v, uint32_t value)
{
    uint32_t *a = v->data;
    for (uint32_t i = 0; i < v->len; i++)
        if (a[i] == value) {
            memmove(&a[i], &a[i + 1], (size_t)(v->len - i - 1) * sizeof *a);
            v->len--;
            return;
        }
}

void cs_node_tree_set(cs_world *w, uint32_t node, bool present)
{
    cs_node_tree *t = w->tree;
    uint32_t key = t->key_of[node];
    if (present) {
        if (!add(w, t, node))
            return;
    } else {
        remove_value(&t->members[key], node);
        if (t->members[key].len == 0)
            remove_value(&t->zones, key);
    }
    rebuild(t);
}

uint32_t cs_node_tree_len(const cs_world *w)
{
    return w->tree->n;
}

const uint32_t *cs_node_tree_list(const cs_world *w)
{
    return w->tree->order;
}

cs_status cs_node_tree_attach(cs_world *w)
{
    const cs_config *cfg = w->cfg;
    uint32_t n = cfg->n_nodes > 0 ? cfg->n_nodes : 1;
    cs_node_tree *t = cs_arena_new_of(w->arena, cs_node_tree);
    if (t == NULL)
        return CS_ENOMEM;
    w->tree = t;
    t->key_of = cs_arena_calloc(w->arena, n, sizeof *t->key_of);
    t->order = cs_arena_calloc(w->arena, n, sizeof *t->order);
    const char **keys = cs_arena_calloc(w->arena, n, sizeof *keys);
    if (t->key_of == NULL || t->order == NULL || keys == NULL)
        return CS_ENOMEM;
    char key[256];
    for (uint32_t node = 0; node < cfg->n_nodes; node++) {
        zone_key(w, node, key, sizeof key);
        uint32_t k = 0;
        while (k < t->n_keys && strcmp(keys[k], key) != 0)
            k++;
        if (k == t->n_keys && (keys[t->n_keys++] = cs_arena_strdup(w->arena, key)) == NULL)
            return CS_ENOMEM;
        t->key_of[node] = k;
    }
    t->members = cs_arena_calloc(w->arena, t->n_keys + 1, sizeof *t->members);
    if (t->members == NULL)
        return CS_ENOMEM;
    for (uint32_t node = 0; node < cfg->n_nodes; node++)
        if (w->nodes[node].exists && !add(w, t, node))
            return CS_ENOMEM;
    rebuild(t);
    return CS_OK;
}
