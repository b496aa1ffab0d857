/* plot.c -- DIR/plots/plots.gp from a results folder, and gnuplot run on it.
 *
 * The script is generated from what the folder holds: the columns of timeseries.csv are
 * found by name in its header (so the script names them by number, which any gnuplot 5
 * reads), the availability thresholds and the latency quantiles come from summary.json.
 * Each plot is one `do for [fmt in "png svg"]` block that draws it once per format, after a
 * `reset`, so plots do not inherit each other's settings. Titles and keys are printed
 * `noenhanced`, so names with underscores stay as written.
 *
 * gnuplot is looked for on PATH the way execvp() would, and run in DIR/plots with the
 * script as its argument; its own messages go to stderr. It draws every image to a temporary
 * name beside its own ("<image>.tmp.<pid>", as report_file.h names them: the script appends
 * `suffix`, which clustersim sets with -e and which is empty when a person runs the script),
 * and the images are renamed into place only once gnuplot has exited 0. When it fails or
 * crashes, the temporary images are removed, and so are the images an earlier draw left under
 * the same names, which would not match the folder's files any more: DIR/plots never shows a
 * half-written image, nor an earlier draw's under a name this script draws (an image whose
 * plot the script no longer draws, say of a workload since removed, is left alone).
 *
 * A results folder may come from elsewhere (a CI artifact), and a gnuplot string can run
 * commands (system()), so every name that reaches the script goes through safe(): letters,
 * digits, '.', '_', '-' and '%' only, which every Kubernetes and scenario name and every
 * minReady already is.
 */
#include "clustersim/plot.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_file.h"

#define BAND "fc rgb \"#9ecae1\" fs transparent solid 0.5 noborder"
#define MEAN "lw 2 lc rgb \"#08519c\""
/* The image formats each plot is drawn in (the script's `fmt`, the files' extensions). */
static const char *const formats[] = {"png", "svg"};
#define N_FORMATS (sizeof formats / sizeof formats[0])
_Static_assert(N_FORMATS == 2, "begin() writes the script's format list from formats[0] and formats[1]");
/* Property lines, one colour and dash each, in property order. */
static const char *const colours[] = {"#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#e377c2"};
#define N_COLOURS (sizeof colours / sizeof colours[0])

/* The header of timeseries.csv, split at the commas. */
typedef struct header {
    char *line;
    char **names;
    size_t n;
} header;

typedef struct plotter {
    FILE *f;
    header h;
    json_t *summary;
    char scenario[128];    /* safe() */
    long long reps;
    double duration_s;
    double unit_s;         /* seconds per unit of the time axis */
    const char *unit;      /* its name */
    char **stems;          /* the images' names without extension, one per begin() */
    size_t n_stems, cap_stems;
    bool oom;              /* a stem could not be kept */
} plotter;

/* Turns every byte of s but [A-Za-z0-9._%-] into '_', in place. Returns s. */
static char *scrub(char *s)
{
    for (char *c = s; *c != '\0'; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                  *c == '_' || *c == '-' || *c == '%';
        *c = ok ? *c : '_';
    }
    return s;
}

/* A scrubbed copy of s (NULL: "?") in buf. */
static const char *safe(const char *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s", s != NULL ? s : "?");
    return scrub(buf);
}

/* The 1-based field number of the column named by fmt, or 0 when there is none. */
static size_t column(const plotter *p, const char *fmt, ...)
{
    char name[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < p->h.n; i++)
        if (strcmp(p->h.names[i], name) == 0)
            return i + 1;
    return 0;
}

/* Reads the first line of path into h. A missing file leaves h empty (CS_OK): the run was
 * not sampled. Returns CS_ENOMEM, or CS_EIO for a file that exists and cannot be read. */
static cs_status read_header(const char *path, header *h)
{
    *h = (header){0};
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return errno == ENOENT ? CS_OK : CS_EIO;
    size_t cap = 0;
    ssize_t len = getline(&h->line, &cap, f);
    fclose(f);
    if (len <= 0) {
        free(h->line);
        h->line = NULL;
        return CS_OK;
    }
    if (h->line[len - 1] == '\n')
        h->line[len - 1] = '\0';
    size_t n = 1;
    for (const char *c = h->line; *c != '\0'; c++)
        n += *c == ',';
    h->names = malloc(n * sizeof *h->names);
    if (h->names == NULL)
        return CS_ENOMEM;
    for (char *c = h->line, *start = c;; c++) {
        if (*c != ',' && *c != '\0')
            continue;
        bool last = *c == '\0';
        *c = '\0';
        h->names[h->n++] = start;
        start = c + 1;
        if (last)
            break;
    }
    return CS_OK;
}

/* Keeps a copy of stem in p->stems (p->oom when it cannot). */
static void remember(plotter *p, const char *stem)
{
    if (p->n_stems == p->cap_stems) {
        size_t cap = p->cap_stems > 0 ? 2 * p->cap_stems : 16;
        char **grown = realloc(p->stems, cap * sizeof *grown);
        if (grown == NULL) {
            p->oom = true;
            return;
        }
        p->stems = grown;
        p->cap_stems = cap;
    }
    if ((p->stems[p->n_stems] = strdup(stem)) == NULL)
        p->oom = true;
    else
        p->n_stems++;
}

/* Opens a plot block: its file stem, size in pixels, title and y label. */
static void begin(plotter *p, const char *stem, int w, int h, const char *title, const char *ylabel)
{
    FILE *f = p->f;
    remember(p, stem);
    fprintf(f, "\n# ---- %s\n", stem);
    fprintf(f, "do for [fmt in \"%s %s\"] {\n    reset\n", formats[0], formats[1]);
    fprintf(f, "    if (fmt eq \"png\") { set terminal pngcairo size %d,%d font \"Sans,11\" noenhanced } "
               "else { set terminal svg size %d,%d font \"Sans,11\" noenhanced background rgb \"white\" }\n",
            w, h, w, h);
    fprintf(f, "    set output \"%s.\".fmt.suffix\n", stem);
    fprintf(f, "    set datafile separator \",\"\n    set grid\n    set key outside right top vertical Left reverse\n");
    fprintf(f, "    set xlabel \"time (%s)\"\n    set xrange [0:%.17g]\n", p->unit, p->duration_s / p->unit_s);
    fprintf(f, "    set title \"%s\"\n    set ylabel \"%s\"\n", title, ylabel);
}

static void end(const plotter *p)
{
    fprintf(p->f, "    set output\n}\n");
}

/* The plot command's first two curves: the 95% band of column `name` (filledcurves between
 * .lo95 and .hi95) and its mean, keyed "<label> 95% CI" and "<label>, mean". */
static void band_and_mean(const plotter *p, const char *name, const char *label)
{
    size_t m = column(p, "%s.mean", name), lo = column(p, "%s.lo95", name), hi = column(p, "%s.hi95", name);
    fprintf(p->f,
            "    plot data skip 1 using ($1/tunit):%zu:%zu with filledcurves " BAND " title \"%s 95%% CI\", \\\n"
            "         data skip 1 using ($1/tunit):%zu with lines " MEAN " title \"%s, mean\"",
            lo, hi, label, m, label);
}

/* Sets the y range to [0, 1.1 x the largest value of the n using-expressions] ([0, 1] when
 * that is 0), from gnuplot's own `stats`: autoscaling a flat zero line would warn. stats
 * filters one-column data by the x range, so the ranges are free while it reads. */
static void y_to_max(const plotter *p, const char *const *exprs, size_t n)
{
    fprintf(p->f, "    set autoscale xy\n    ymax = 0\n");
    for (size_t i = 0; i < n; i++)
        fprintf(p->f, "    stats data skip 1 using (%s) nooutput\n    ymax = STATS_max > ymax ? STATS_max : ymax\n",
                exprs[i]);
    fprintf(p->f, "    set xrange [0:%.17g]\n    set yrange [0:(ymax > 0 ? 1.1 * ymax : 1)]\n",
            p->duration_s / p->unit_s);
}

/* y_to_max over columns given by number. */
static void y_to_max_cols(const plotter *p, const size_t *cols, size_t n)
{
    char buf[8][32];
    const char *exprs[8];
    for (size_t i = 0; i < n && i < 8; i++) {
        snprintf(buf[i], sizeof buf[i], "column(%zu)", cols[i]);
        exprs[i] = buf[i];
    }
    y_to_max(p, exprs, n < 8 ? n : 8);
}

/* begin() for a plot of means with their band, titled after what it shows. */
static void begin_band(plotter *p, const char *stem, int h, const char *what, const char *ylabel)
{
    char title[512];
    snprintf(title, sizeof title, "%s: %s, mean and 95%% CI over %lld replications", p->scenario, what, p->reps);
    begin(p, stem, 1100, h, title, ylabel);
}

/* begin_band() for the plot "<stem>-<obj>" of one workload or Service: "<what> <obj>". */
static void begin_object(plotter *p, const char *stem, const char *what, const char *obj, const char *ylabel)
{
    char file[300], title[300];
    snprintf(file, sizeof file, "%s-%s", stem, obj);
    snprintf(title, sizeof title, "%s %s", what, obj);
    begin_band(p, file, 560, title, ylabel);
}

/* Whether property pr (of summary.json) is of `type` and watches `obj` through `key`: names
 * it, or has null there (every workload, every Service). */
static bool watches(json_t *pr, const char *type, const char *key, const char *obj)
{
    const char *t = json_string_value(json_object_get(pr, "type"));
    json_t *on = json_object_get(pr, key);
    return t != NULL && strcmp(t, type) == 0 && (!json_is_string(on) || strcmp(json_string_value(on), obj) == 0);
}

/* Ready pods of one workload, its desired count, and the minReady line of every availability
 * property that watches it. */
static void plot_ready(plotter *p, const char *wl)
{
    char name[256];
    snprintf(name, sizeof name, "workload.%s.ready", wl);
    begin_object(p, "ready", "ready pods of", wl, "ready pods");
    size_t desired = column(p, "workload.%s.desired.mean", wl);
    y_to_max_cols(p, (size_t[]){column(p, "%s.hi95", name), desired}, 2);
    band_and_mean(p, name, "ready");
    fprintf(p->f, ", \\\n         data skip 1 using ($1/tunit):%zu with lines dt 3 lw 1.5 lc rgb \"gray40\" title \"desired\"",
            desired);
    json_t *props = json_object_get(p->summary, "properties"), *pr;
    size_t i;
    json_array_foreach(props, i, pr) {
        json_t *min = json_object_get(pr, "minReady");
        /* minReady 0 asks only for distinct nodes or zones: no line to draw at the axis. */
        if (!watches(pr, "availability", "workload", wl) || (json_is_integer(min) && json_integer_value(min) == 0) ||
            (json_is_string(min) && atof(json_string_value(min)) == 0))
            continue;
        char prop[128], pct[32];
        safe(json_string_value(json_object_get(pr, "name")), prop, sizeof prop);
        const char *colour = colours[i % N_COLOURS];
        static const int dashes[] = {2, 4, 5};   /* not 3, the dots of `desired` */
        int dash = dashes[i % 3];
        if (json_is_integer(min)) {
            fprintf(p->f, ", \\\n         %lld with lines dt %d lw 2 lc rgb \"%s\" title \"%s: minReady %lld\"",
                    (long long)json_integer_value(min), dash, colour, prop, (long long)json_integer_value(min));
        } else if (json_is_string(min)) {
            /* A percentage of desired, rounded up as the availability checker does. */
            fprintf(p->f,
                    ", \\\n         data skip 1 using ($1/tunit):(ceil(%.17g * column(%zu) / 100)) with lines dt %d "
                    "lw 2 lc rgb \"%s\" title \"%s: minReady %s of desired\"",
                    atof(json_string_value(min)), desired, dash, colour, prop,
                    safe(json_string_value(min), pct, sizeof pct));
        }
    }
    fputc('\n', p->f);
    end(p);
}

/* Ready endpoints of one Service, and a line at 1 for every coverage property that watches
 * it (coverage holds while a Service selects at least one Ready pod). */
static void plot_service(plotter *p, const char *svc)
{
    char name[256];
    snprintf(name, sizeof name, "service.%s.ready_endpoints", svc);
    begin_object(p, "service", "ready endpoints of Service", svc, "ready endpoints (pods)");
    y_to_max_cols(p, (size_t[]){column(p, "%s.hi95", name)}, 1);
    band_and_mean(p, name, "ready endpoints");
    json_t *props = json_object_get(p->summary, "properties"), *pr;
    size_t i;
    json_array_foreach(props, i, pr) {
        if (!watches(pr, "coverage", "service", svc))
            continue;
        char prop[128];
        fprintf(p->f, ", \\\n         1 with lines dt 2 lw 2 lc rgb \"%s\" title \"%s: at least 1 ready endpoint\"",
                colours[i % N_COLOURS], safe(json_string_value(json_object_get(pr, "name")), prop, sizeof prop));
    }
    fprintf(p->f, "\n");
    end(p);
}

static void plot_pending(plotter *p)
{
    begin_band(p, "pending", 560, "pending pods", "pending pods");
    y_to_max_cols(p, (size_t[]){column(p, "pods.pending.hi95")}, 1);
    band_and_mean(p, "pods.pending", "pending");
    fprintf(p->f, "\n");
    end(p);
}

/* Two panels: nodes up (band) and Ready; requested over allocatable CPU and memory. */
static void plot_nodes(plotter *p)
{
    begin_band(p, "nodes", 860, "nodes up", "nodes");
    FILE *f = p->f;
    char title[512];
    /* Fixed margins, so the two panels' time axes line up whatever their keys' widths. */
    fprintf(f, "    set multiplot layout 2,1\n    set lmargin at screen 0.08\n    set rmargin at screen 0.80\n");
    y_to_max_cols(p, (size_t[]){column(p, "nodes.up.hi95"), column(p, "nodes.ready.mean")}, 2);
    band_and_mean(p, "nodes.up", "up");
    fprintf(f, ", \\\n         data skip 1 using ($1/tunit):%zu with lines dt 2 lw 2 lc rgb \"#31a354\" title \"Ready, mean\"\n",
            column(p, "nodes.ready.mean"));
    snprintf(title, sizeof title,
             "%s: requested (a failed node's pods count until evicted) over allocatable of the nodes up", p->scenario);
    fprintf(f, "    set title \"%s\"\n    set ylabel \"requested / allocatable (%%)\"\n", title);
    static const char *const res[][3] = {{"cpu.requested_cores", "cpu.allocatable_cores", "CPU"},
                                         {"memory.requested_gib", "memory.allocatable_gib", "memory"}};
    /* No node up: no ratio, drawn as 0 (a gap would leave `stats` with nothing to read). */
    char ratio[2][96];
    const char *exprs[2] = {ratio[0], ratio[1]};
    for (int i = 0; i < 2; i++) {
        size_t req = column(p, "%s.mean", res[i][0]), alloc = column(p, "%s.mean", res[i][1]);
        snprintf(ratio[i], sizeof ratio[i], "column(%zu) > 0 ? 100 * column(%zu) / column(%zu) : 0", alloc, req, alloc);
    }
    y_to_max(p, exprs, 2);
    for (int i = 0; i < 2; i++)
        fprintf(f, "%s data skip 1 using ($1/tunit):(%s) with lines lw 2 lc rgb \"%s\" title \"%s\"%s",
                i == 0 ? "    plot" : "        ", ratio[i], i == 0 ? "#08519c" : "#e6550d", res[i][2],
                i == 0 ? ", \\\n" : "\n");
    fprintf(f, "    unset multiplot\n");
    end(p);
}

/* The share of replications in violation of each property at each time. */
static void plot_violations(plotter *p)
{
    json_t *props = json_object_get(p->summary, "properties"), *pr;
    if (json_array_size(props) == 0)
        return;
    char title[512];
    snprintf(title, sizeof title, "%s: replications in violation of each property (%lld replications)", p->scenario,
             p->reps);
    begin(p, "violations", 1100, 560, title, "replications in violation (%)");
    size_t i;
    const char *exprs[8];
    char buf[8][48], name[128];
    json_array_foreach(props, i, pr) {   /* the range from the first 8: one stats pass each */
        if (i >= 8)
            break;
        safe(json_string_value(json_object_get(pr, "name")), name, sizeof name);
        snprintf(buf[i], sizeof buf[i], "100 * column(%zu)", column(p, "property.%s.violated.mean", name));
        exprs[i] = buf[i];
    }
    y_to_max(p, exprs, i);
    json_array_foreach(props, i, pr) {
        safe(json_string_value(json_object_get(pr, "name")), name, sizeof name);
        fprintf(p->f, "%s data skip 1 using ($1/tunit):(100 * column(%zu)) with steps lw 2 lc rgb \"%s\" title \"%s\"%s",
                i == 0 ? "    plot" : "        ", column(p, "property.%s.violated.mean", name),
                colours[i % N_COLOURS], name,
                i + 1 < json_array_size(props) ? ", \\\n" : "\n");
    }
    end(p);
}

/* Writes one latency.dat row: the group's 4 quantiles of scheduling latency and of time to
 * ready ("-" when nothing was counted), raising max[kind] to the largest. Returns whether
 * anything was counted. */
static bool latency_row(FILE *f, json_t *latency, const char *group, const char *prefix, double max[2])
{
    static const char *const kinds[] = {"scheduling_latency_s", "time_to_ready_s"};
    static const char *const qs[] = {"p50", "p90", "p99", "p99.9"};
    bool any = false;
    fprintf(f, "\"%s\"", group);
    for (int k = 0; k < 2; k++) {
        char key[300];
        snprintf(key, sizeof key, "%s.%s", prefix, kinds[k]);
        json_t *h = json_object_get(latency, key);
        any = any || json_integer_value(json_object_get(h, "n")) > 0;
        for (int q = 0; q < 4; q++) {
            json_t *v = json_object_get(h, qs[q]);
            if (json_is_number(v)) {
                fprintf(f, " %.17g", json_number_value(v));
                max[k] = fmax(max[k], json_number_value(v));
            } else
                fputs(" -", f);
        }
    }
    fputc('\n', f);
    return any;
}

/* latency.dat (the whole cluster, then each workload) and the two panels that draw it. */
static cs_status plot_latency(plotter *p, const char *plots, char **workloads, size_t n_wl, cs_diag *diag)
{
    json_t *latency = json_object_get(p->summary, "latency");
    if (latency == NULL)
        return CS_OK;
    size_t size = strlen(plots) + 16;
    char *path = malloc(size);
    if (path == NULL)
        return CS_ENOMEM;
    snprintf(path, size, "%s/latency.dat", plots);
    char *tmp;
    cs_status st;
    FILE *f = rf_open(path, &tmp, &st, diag);
    if (f == NULL) {
        free(path);
        return st;
    }
    fprintf(f, "# group, then p50 p90 p99 p99.9 of scheduling latency and of time to ready (s)\n");
    double max[2] = {0, 0};
    bool any = latency_row(f, latency, "all", "pods", max);
    /* Beyond a dozen groups the bars and their labels stop being readable: the plot shows
     * the cluster and the first 12 workloads; summary.json has them all. */
    enum { MAX_GROUPS = 12 };
    for (size_t i = 0; i < n_wl && i < MAX_GROUPS; i++) {
        char prefix[300];
        snprintf(prefix, sizeof prefix, "workload.%s", workloads[i]);
        any = latency_row(f, latency, workloads[i], prefix, max) || any;
    }
    st = rf_commit(f, tmp, path, diag);
    free(path);
    if (st != CS_OK || !any)
        return st;
    char title[512];
    snprintf(title, sizeof title, "%s: latency percentiles, every pod of %lld replications", p->scenario, p->reps);
    begin(p, "latency", 1200, 560, title, "seconds");
    FILE *g = p->f;
    fprintf(g, "    unset xlabel\n    set xrange [*:*]\n    set datafile separator whitespace\n");
    fprintf(g, "    set datafile missing \"-\"\n    set style data histograms\n");
    fprintf(g, "    set style histogram clustered gap 1\n    set style fill solid 0.85 border -1\n");
    fprintf(g, "    set xtics rotate by -30\n    set multiplot layout 1,2 title \"%s\"\n", title);
    static const char *const panels[] = {"scheduling latency (created to bound)", "time to ready (created to Ready)"};
    for (int k = 0; k < 2; k++) {
        fprintf(g, "    set title \"%s\"\n", panels[k]);
        /* Every pod bound in the instant it was created: say so rather than draw no bars. */
        if (max[k] == 0)
            fprintf(g, "    set yrange [0:1]\n    set label 1 \"every value is 0 s\" at graph 0.5, graph 0.5 center\n");
        else
            fprintf(g, "    set yrange [0:*]\n    unset label 1\n");
        int c = 2 + 4 * k;
        fprintf(g,
                "    plot \"latency.dat\" using %d:xtic(1) title \"p50\", '' using %d title \"p90\", "
                "'' using %d title \"p99\", '' using %d title \"p99.9\"\n",
                c, c + 1, c + 2, c + 3);
    }
    fprintf(g, "    unset multiplot\n");
    end(p);
    return CS_OK;
}

/* The names between prefix and suffix of the header's columns, in column order (the
 * workloads of workload.<name>.ready.mean, say), strdup'd into out[0 .. *n-1]. */
static cs_status header_names(const plotter *p, const char *prefix, const char *suffix, char **out, size_t *n)
{
    size_t lp = strlen(prefix), ls = strlen(suffix);
    *n = 0;
    for (size_t i = 0; i < p->h.n; i++) {
        const char *c = p->h.names[i];
        size_t len = strlen(c);
        if (len <= lp + ls || strncmp(c, prefix, lp) != 0 || strcmp(c + len - ls, suffix) != 0)
            continue;
        if ((out[*n] = strndup(c + lp, len - lp - ls)) == NULL)
            return CS_ENOMEM;
        scrub(out[*n]);
        ++*n;
    }
    return CS_OK;
}

/* True when an executable `gnuplot` is in one of PATH's directories ("" meaning "."). */
static bool gnuplot_on_path(void)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        return false;
    for (const char *dir = path;; dir++) {
        const char *colon = strchr(dir, ':');
        size_t len = colon != NULL ? (size_t)(colon - dir) : strlen(dir);
        char file[4096];
        snprintf(file, sizeof file, "%.*s/gnuplot", (int)(len > 0 ? len : 1), len > 0 ? dir : ".");
        if (access(file, X_OK) == 0)
            return true;
        if (colon == NULL)
            return false;
        dir = colon;
    }
}

/* Runs `gnuplot -e 'suffix = "<suffix>"' plots.gp` in dir. Returns its exit status, or -1
 * when it could not run or did not exit (a signal). */
static int run_gnuplot(const char *dir, const char *suffix)
{
    char set[64];
    snprintf(set, sizeof set, "suffix = \"%s\"", suffix);   /* ".tmp.<pid>": digits only */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) == 0)
            execlp("gnuplot", "gnuplot", "-e", set, "plots.gp", (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* After gnuplot: with `drawn`, renames each image of the script from its temporary name into
 * place; without, removes the temporary images and the images of an earlier draw. Returns
 * CS_OK, CS_ENOMEM, or CS_EIO with diag naming the image that could not be put in place; from
 * that image on the rest are handled as not drawn (their temporary and earlier images
 * removed), so the folder never mixes this draw's images with an earlier one's. */
static cs_status place_images(const plotter *p, const char *plots, bool drawn, cs_diag *diag)
{
    cs_status st = CS_OK;
    for (size_t i = 0; i < p->n_stems; i++) {
        for (size_t k = 0; k < N_FORMATS; k++) {
            size_t size = strlen(plots) + strlen(p->stems[i]) + 16;
            char *image = malloc(size), *tmp = NULL;
            if (image != NULL) {
                snprintf(image, size, "%s/%s.%s", plots, p->stems[i], formats[k]);
                tmp = rf_temp_name(image);
            }
            if (tmp == NULL) {
                st = CS_ENOMEM;
            } else if (drawn && st == CS_OK) {
                if (rf_commit_name(tmp, image) != 0) {
                    rf_io_fail(diag, image, errno);
                    st = CS_EIO;
                }
            } else {
                remove(tmp);
                if (!drawn || st != CS_OK)
                    remove(image);
            }
            free(tmp);
            free(image);
        }
    }
    return st;
}

static cs_status bad_summary(cs_diag *diag, const char *path, const char *why)
{
    *diag = (cs_diag){0};
    snprintf(diag->file, sizeof diag->file, "%s", path);
    snprintf(diag->msg, sizeof diag->msg, "%s", why);
    return CS_EINPUT;
}

/* Writes plots.gp into `plots` (the time-series plots only when the header has columns). */
static cs_status write_script(plotter *p, const char *plots, cs_diag *diag)
{
    size_t size = strlen(plots) + 16;
    char *path = malloc(size);
    char **workloads = calloc(p->h.n + 1, sizeof *workloads), **services = calloc(p->h.n + 1, sizeof *services);
    size_t n_wl = 0, n_svc = 0;
    cs_status st = path != NULL && workloads != NULL && services != NULL ? CS_OK : CS_ENOMEM;
    if (st == CS_OK)
        st = header_names(p, "workload.", ".ready.mean", workloads, &n_wl);
    if (st == CS_OK)
        st = header_names(p, "service.", ".ready_endpoints.mean", services, &n_svc);
    char *tmp;
    if (st == CS_OK) {
        snprintf(path, size, "%s/plots.gp", plots);
        p->f = rf_open(path, &tmp, &st, diag);
    }
    if (st == CS_OK) {
        fprintf(p->f, "# plots.gp -- drawn by `clustersim plot` for %s (%lld replications).\n", p->scenario, p->reps);
        fprintf(p->f, "# Run it here: gnuplot plots.gp (it reads ../timeseries.csv and latency.dat).\n");
        fprintf(p->f, "data = \"../timeseries.csv\"\ntunit = %.17g   # seconds per unit of the time axis (%s)\n",
                p->unit_s, p->unit);
        fprintf(p->f, "# clustersim sets suffix to draw to temporary names, renamed into place when all went well.\n"
                      "if (!exists(\"suffix\")) suffix = \"\"\n");
        if (p->h.n > 1) {
            for (size_t i = 0; i < n_wl; i++)
                plot_ready(p, workloads[i]);
            for (size_t i = 0; i < n_svc; i++)
                plot_service(p, services[i]);
            plot_pending(p);
            plot_nodes(p);
            plot_violations(p);
        }
        st = plot_latency(p, plots, workloads, n_wl, diag);
        if (st == CS_OK && p->oom)
            st = CS_ENOMEM;
        if (st == CS_OK)
            st = rf_commit(p->f, tmp, path, diag);
        else
            rf_discard_temp(p->f, tmp);
    }
    for (size_t i = 0; workloads != NULL && i < n_wl + 1; i++)
        free(workloads[i]);   /* a failed strndup left NULL at n: free(NULL) */
    for (size_t i = 0; services != NULL && i < n_svc + 1; i++)
        free(services[i]);
    free(workloads);
    free(services);
    free(path);
    return st;
}

cs_status cs_plot_results(const char *dir, cs_plot_outcome *outcome, cs_diag *diag)
{
    size_t size = strlen(dir) + 32;
    char *summary = malloc(size), *csv = malloc(size), *plots = malloc(size), *suffix = rf_temp_name("");
    plotter p = {0};
    cs_status st = summary != NULL && csv != NULL && plots != NULL && suffix != NULL ? CS_OK : CS_ENOMEM;
    if (st == CS_OK) {
        snprintf(summary, size, "%s/summary.json", dir);
        snprintf(csv, size, "%s/timeseries.csv", dir);
        snprintf(plots, size, "%s/plots", dir);
        json_error_t err;
        p.summary = json_load_file(summary, 0, &err);
        if (p.summary == NULL)
            st = bad_summary(diag, summary, access(summary, F_OK) != 0 ? "no summary.json here: not a results folder"
                                                                       : "not a JSON file");
        else if (!json_is_integer(json_object_get(p.summary, "schemaVersion")))
            st = bad_summary(diag, summary, "not a clustersim summary (no schemaVersion)");
    }
    if (st == CS_OK) {
        json_t *sc = json_object_get(p.summary, "scenario");
        safe(json_string_value(json_object_get(sc, "name")), p.scenario, sizeof p.scenario);
        p.duration_s = json_number_value(json_object_get(sc, "duration_s"));
        p.reps = (long long)json_integer_value(json_object_get(p.summary, "replications"));
        p.unit_s = p.duration_s <= 7200 ? 60 : p.duration_s <= 72 * 3600 ? 3600 : 86400;
        p.unit = p.unit_s == 60 ? "min" : p.unit_s == 3600 ? "h" : "days";
        st = read_header(csv, &p.h);
        if (st == CS_EIO)
            rf_io_fail(diag, csv, errno);
    }
    if (st == CS_OK && mkdir(plots, 0777) != 0 && errno != EEXIST) {
        rf_io_fail(diag, plots, errno);
        st = CS_EIO;
    }
    if (st == CS_OK)
        st = write_script(&p, plots, diag);
    if (st == CS_OK && !gnuplot_on_path()) {
        *outcome = CS_PLOT_NO_GNUPLOT;
    } else if (st == CS_OK) {
        bool drawn = run_gnuplot(plots, suffix) == 0;
        *outcome = drawn ? CS_PLOT_DRAWN : CS_PLOT_GNUPLOT_FAILED;
        st = place_images(&p, plots, drawn, diag);
    }
    json_decref(p.summary);
    free(p.h.line);
    free(p.h.names);
    for (size_t i = 0; i < p.n_stems; i++)
        free(p.stems[i]);
    free(p.stems);
    free(suffix);
    free(summary);
    free(csv);
    free(plots);
    return st;
}
