/* timeseries.c -- results/<name>/timeseries.csv: the sampled state across replications.
 *
 * One row per grid point (series.h), one time column and three per sampled column: the mean
 * across replications and the two ends of its Student-t 95% interval. Every number is
 * written as the shortest decimal that reads back as the same double, and times exactly from
 * their nanoseconds, so the file is the same bytes whenever the summary is.
 */
#include <stdlib.h>

#include "clustersim/report.h"
#include "clustersim/series.h"
#include "report_file.h"

static void header(FILE *f, const cs_config *cfg, size_t n_columns)
{
    fputs("time_s", f);
    for (size_t c = 0; c < n_columns; c++) {
        char name[256];
        cs_series_column_name(cfg, c, name, sizeof name);
        fprintf(f, ",%s.mean,%s.lo95,%s.hi95", name, name, name);
    }
    fputc('\n', f);
}

cs_status cs_report_write_timeseries(const cs_config *cfg, const cs_run_summary *s, const char *path,
                                     cs_diag *diag)
{
    CS_ASSERT(s->n_samples >= 2);
    char *tmp;
    cs_status st;
    FILE *f = rf_open(path, &tmp, &st, diag);
    if (f == NULL)
        return st;
    header(f, cfg, s->n_columns);
    for (uint32_t g = 0; g < s->n_samples; g++) {
        char t[32];
        fputs(cs_report_format_time(cs_series_time(cfg, g), t, sizeof t), f);
        for (size_t c = 0; c < s->n_columns; c++) {
            size_t i = (size_t)g * s->n_columns + c;
            const double v[3] = {s->series_mean[i], s->series_lo[i], s->series_hi[i]};
            for (int k = 0; k < 3; k++) {
                fputc(',', f);
                rf_put_real(f, v[k], "");
            }
        }
        fputc('\n', f);
    }
    return rf_commit(f, tmp, path, diag);
}
