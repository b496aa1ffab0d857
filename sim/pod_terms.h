/* pod_terms.h -- a pod template's topologySpreadConstraints and podAffinity / podAntiAffinity,
 * read once for both YAML readers (scenario.c, manifest.c), and the label selector they use,
 * which manifest.c also reads for a workload's spec.selector. Private to sim/.
 *
 * The two readers differ only in how they treat a field they do not know: the scenario rejects
 * it (with did-you-mean), a manifest ignores it as the API server's decoder would. Validation
 * follows pkg/apis/core/validation (ValidateTopologySpreadConstraints, validatePodAffinityTerm,
 * metav1 validation of label selectors), and every error goes through the yd_doc: file:line:col
 * and the field path.
 *
 * Ownership: everything read is allocated in the arena given; the yd_doc is borrowed.
 */
#ifndef CS_SIM_POD_TERMS_H
#define CS_SIM_POD_TERMS_H

#include "yaml_doc.h"

typedef struct pt_reader {
    yd_doc *yd;          /* borrowed; its path ends at the field being read */
    cs_arena *arena;     /* the config's */
    bool strict;         /* unknown fields are errors */
} pt_reader;

/* topologySpreadConstraints (a sequence) into wl->spread. */
cs_status pt_read_spread(pt_reader *r, const yaml_node_t *n, cs_workload *wl);
/* affinity.podAffinity (anti false) or affinity.podAntiAffinity (anti true), a mapping with
 * requiredDuringSchedulingIgnoredDuringExecution and preferredDuringSchedulingIgnoredDuringExecution. */
cs_status pt_read_pod_affinity(pt_reader *r, const yaml_node_t *n, bool anti, cs_workload *wl);

/* A metav1.LabelSelector (matchLabels, matchExpressions) into *sel, present true, checked as
 * apimachinery/pkg/apis/meta/v1/validation ValidateLabelSelector does: operators In, NotIn,
 * Exists, DoesNotExist, values with In and NotIn only. Fails with the field path. */
cs_status pt_read_selector(pt_reader *r, const yaml_node_t *n, cs_label_selector *sel);
/* The first term of a present selector that the labels fail, as metav1.LabelSelectorAsSelector
 * then Matches judge it: i for matchLabels[i], n_match_labels + i for matchExpressions[i]; -1
 * when every term holds (so always for an empty selector). Linear in terms times labels. */
int pt_selector_mismatch(const cs_label_selector *sel, const cs_label *labels, uint32_t n_labels);

#endif
