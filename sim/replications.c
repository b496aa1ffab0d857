/* replications.c -- results/<name>/replications.csv: every replication's own values.
 *
 * One row per replication, in replication order: its index, each metric (the per-replication
 * values summary.json summarises, in the same order and under the same names), then whether
 * each property held (1) or not (0). `clustersim compare` pairs two runs on it: with the same
 * seed, replication r of each drew the same failures, so the change in r is the policy's.
 * Numbers are the shortest decimals that read back as the same doubles, so the file is the
 * same bytes whenever the run is.
 */
#include <stdlib.h>
#include <string.h>

#include "clustersim/report.h"
#include "clustersim/result.h"
#include "report_file.h"

/* A header name, quoted as RFC 4180 has it when it holds a comma, a quote or a line break
 * (a property's name may: it is any string). */
static void put_name(FILE *f, const char *name)
{
    fputc(',', f);
    if (strpbrk(name, ",\"\r\n") == NULL) {
        fputs(name, f);
        return;
    }
    fputc('"', f);
    for (const char *c = name; *c != '\0'; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fputc('"', f);
}

cs_status cs_report_write_replications(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                       cs_diag *diag)
{
    CS_ASSERT(s->rep_metrics != NULL && s->rep_held != NULL);
    char *tmp;
    cs_status st;
    FILE *f = rf_open(path, &tmp, &st, diag);
    if (f == NULL)
        return st;
    fputs("replication", f);
    char name[512];
    for (size_t i = 0; i < s->n_metrics; i++)
        put_name(f, cs_result_metric_name(cfg, i, name, sizeof name));
    for (uint32_t p = 0; p < s->n_props; p++) {
        snprintf(name, sizeof name, "property.%s.held", cfg->properties[p].name);
        put_name(f, name);
    }
    fputc('\n', f);
    for (uint32_t r = 0; r < s->reps; r++) {
        fprintf(f, "%u", r);
        for (size_t i = 0; i < s->n_metrics; i++) {
            fputc(',', f);
            rf_put_real(f, s->rep_metrics[(size_t)r * s->n_metrics + i], "");
        }
        for (uint32_t p = 0; p < s->n_props; p++)
            fprintf(f, ",%d", s->rep_held[(size_t)r * s->n_props + p] != 0);
        fputc('\n', f);
    }
    return rf_commit(f, tmp, path, diag);
}
