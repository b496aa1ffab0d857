/* manifest.h -- Kubernetes manifests (multi-document YAML, as kubectl takes them) into the
 * parts of a cs_config they describe. Private to sim/: the scenario loader calls it for
 * `spec.include` and for a file that is a plain manifest rather than a Scenario.
 *
 * A cs_manifest gathers the objects of one or more files, then commits them to the config in
 * one step, so that a pod template may name a PriorityClass declared in a later file. v1 Node
 * becomes a node pool of one node, v1 Pod and apps/v1 Deployment, ReplicaSet and StatefulSet
 * become workloads, v1 Service is kept by name and selector, scheduling.k8s.io/v1
 * PriorityClass resolves priorityClassName, apps/v1 DaemonSet and policy/v1
 * PodDisruptionBudget are modelled too. Every other kind is counted in cfg->skipped_kinds.
 *
 * Errors are reported as the scenario loader reports them (file:line:col, a path such as
 * `deployment/web: spec.template.spec.containers[0].resources.requests.cpu`, what was
 * expected and what was found). Ownership: what the config keeps goes into cfg->arena; the
 * rest lives in the manifest's own scratch arena and goes with cs_manifest_free().
 */
#ifndef CLUSTERSIM_SIM_MANIFEST_H
#define CLUSTERSIM_SIM_MANIFEST_H

#include "clustersim/common.h"
#include "clustersim/config.h"

typedef struct cs_manifest cs_manifest;

/* Starts reading manifests for cfg (borrowed until cs_manifest_free). The names of cfg's pools
 * and workloads so far are taken as used. Returns NULL when out of memory. */
cs_manifest *cs_manifest_new(cs_config *cfg);
/* Frees the scratch state; what was committed stays in the config. NULL is allowed. */
void cs_manifest_free(cs_manifest *m);
/* Reads every document of a file. Returns CS_OK, CS_EINPUT with *diag filled, CS_ENOMEM, or
 * CS_EIO with only diag->msg set to the reason (strerror), so that the caller can say which
 * reference to the file was wrong. */
cs_status cs_manifest_read_file(cs_manifest *m, const char *path, cs_diag *diag);
/* The same for a buffer; `file` names it in messages. */
cs_status cs_manifest_read_buffer(cs_manifest *m, const char *file, const char *data, size_t len,
                                  cs_diag *diag);
/* Resolves priorities and appends the nodes (pools), zones, workloads and services read so far
 * to the config, after those it had; sets its skipped kinds and notes. Returns CS_OK,
 * CS_EINPUT (an unknown priorityClassName, say) or CS_ENOMEM. Call once. */
cs_status cs_manifest_finish(cs_manifest *m, cs_diag *diag);

/* True when the first non-empty YAML document of data is a Kubernetes object: a mapping with a
 * kind other than Scenario and an apiVersion outside clustersim.io. Allocates only through
 * libyaml; false on any parse error (the scenario loader then reports it). */
bool cs_manifest_sniff(const char *data, size_t len);
/* Fills an empty config (cfg->file set) from a plain manifest: its objects, plus a name made
 * from the file name, duration 1h, 10 replications, seed 1. Fails as the functions above, and
 * with "no nodes" when the manifest declares no v1 Node. */
cs_status cs_manifest_load_scenario(cs_config *cfg, const char *file, const char *data, size_t len,
                                    cs_diag *diag);

#endif
