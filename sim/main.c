/* main.c -- the clustersim command line: run, validate, explain, compare, bench phold, help.
 *
 * main only parses arguments, calls the modules and turns their statuses into exit codes:
 * 0 every property met its threshold, 1 one did not, 2 bad input or usage (the message
 * names the file, line and column, or the option and what it expects), 3 an internal error
 * (out of memory, results that cannot be written). Results go to stdout, messages and the
 * progress line to stderr.
 */
#define _GNU_SOURCE   /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clustersim/bench.h"
#include "clustersim/compare.h"
#include "clustersim/explain.h"
#include "clustersim/plot.h"
#include "clustersim/quantity.h"
#include "clustersim/ranks.h"
#include "clustersim/report.h"
#include "clustersim/runner.h"
#include "clustersim/scenario.h"

enum { EXIT_PASSED = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

#define MAX_REPS 1000000u
#define MAX_THREADS 4096
#define MAX_RUNS 1000

/* ---- help -------------------------------------------------------------------------------- */

static const char exit_codes_run[] =
    "exit status:\n"
    "  0  every property met its threshold (or the scenario has no properties)\n"
    "  1  at least one property missed its threshold\n"
    "  2  bad input or usage: the scenario file, line and column are named\n"
    "  3  internal error: out of memory, or results could not be written\n";

static void help_main(FILE *f)
{
    fprintf(f,
            "clustersim %s -- a discrete-event Kubernetes cluster simulator for capacity planning\n"
            "\n"
            "Runs a scenario (node pools, workloads, failures, a timeline of events and the\n"
            "properties the cluster must keep) many times with independent random streams, and\n"
            "reports how often each property held, with confidence intervals.\n"
            "\n"
            "usage: clustersim <command> [options]\n"
            "\n"
            "commands:\n"
            "  run FILE         run the replications of a scenario and write summary.json\n"
            "  validate FILE    check a scenario file without running it\n"
            "  explain FILE     show why the scheduler placed a pod where it did\n"
            "  compare A B      test whether results B got worse than results A (for CI)\n"
            "  plot DIR         draw the plots of a results folder again (gnuplot)\n"
            "  bench phold      measure the event kernel on the PHOLD benchmark\n"
            "  help [COMMAND]   show the help of a command\n"
            "\n"
            "options:\n"
            "  -h, --help       show this help\n"
            "  --version        print the version\n"
            "\n"
            "examples:\n"
            "  clustersim validate scenarios/quickstart.yaml\n"
            "  clustersim run scenarios/quickstart.yaml --reps 1000 --threads 8\n"
            "  clustersim explain scenarios/quickstart.yaml --pod web\n"
            "  clustersim help run\n"
            "\n"
            "exit status:\n"
            "  0  success (run: every property met its threshold)\n"
            "  1  run: at least one property missed its threshold;\n"
            "     compare: a metric got significantly worse\n"
            "  2  bad input or usage\n"
            "  3  internal error: out of memory, or results could not be written\n",
            cs_version());
}

static void help_run(FILE *f)
{
    fprintf(f,
            "usage: clustersim run FILE [options]\n"
            "\n"
            "Runs the replications of the scenario in FILE in parallel, writes their summary to\n"
            "DIR/summary.json and prints it: every metric with its mean, 95%% confidence interval,\n"
            "minimum and maximum, and for every property how often it held (with a Wilson 95%%\n"
            "interval) against its threshold. The same scenario and seed give the same\n"
            "summary.json, byte for byte, whatever the number of threads.\n"
            "\n"
            "options:\n"
            "  --reps N          replications, 1 to %u (default: spec.replications, else 10)\n"
            "  --seed S          seed of the random streams, 0 to 2^64-1 (default: spec.seed, else 1)\n"
            "  --threads T       worker threads, 1 to %d (default: OMP_NUM_THREADS, else every core)\n"
            "  --out DIR         where summary.json goes (default: results/<metadata.name>)\n"
            "  --trace FILE      write the events of replication 0 as JSON lines to FILE\n"
            "                    (default: no trace)\n"
            "  --explain         with --trace: also trace every scheduling attempt, node by node\n"
            "                    (pod.attempt, then pod.filter, or pod.score and pod.total)\n"
            "  --precision X     add replications in batches (32, 48, 72, ... each half as many\n"
            "                    again) until every headline metric's 95%% CI half-width is\n"
            "                    below X times its mean, 0 < X < 1; --reps (default\n"
            "                    spec.replications) is then the most it may run. Headline: each\n"
            "                    property's probability, each workload's ready_mean and\n"
            "                    full_fraction. The summary says which of the two stopped it.\n"
            "  --progress        show the progress line from the start, and at the end\n"
            "  --no-plots        do not draw the plots (they are drawn into DIR/plots with gnuplot,\n"
            "                    when it is on PATH; `clustersim plot DIR` draws them later)\n"
            "  --no-replications do not write DIR/replications.csv, each replication's metrics\n"
            "                    and properties (what `clustersim compare` pairs two runs on;\n"
            "                    2 to 18 bytes a value: 2 MB for 10,000 quickstart replications)\n"
            "  -q, --quiet       print nothing but errors: no summary, no progress line\n"
            "  -h, --help        show this help\n"
            "\n"
            "A progress line appears on stderr when a run lasts more than a second: on a\n"
            "terminal a bar redrawn in place (done/total, elapsed, ETA), otherwise a plain\n"
            "\"progress: D/T replications, E s elapsed, ETA ...\" line every ten seconds.\n"
            "\n"
            "Under MPI (a build with Open MPI), `mpirun -np K clustersim run FILE ...` spreads the\n"
            "replications over K ranks, each with --threads (or OMP_NUM_THREADS) threads; rank 0\n"
            "writes the same summary.json as one process would, and only rank 0 prints.\n"
            "\n"
            "examples:\n"
            "  clustersim run scenarios/quickstart.yaml\n"
            "  clustersim run scenarios/quickstart.yaml --reps 1000 --seed 7 --out /tmp/qs\n"
            "  clustersim run scenarios/quickstart.yaml --reps 1 --trace trace.jsonl --quiet\n"
            "  clustersim run scenarios/quickstart.yaml --reps 1 --trace trace.jsonl --explain\n"
            "  clustersim run scenarios/quickstart.yaml --precision 0.01 --reps 20000\n"
            "  mpirun -np 4 clustersim run scenarios/quickstart.yaml --reps 100000 --threads 8\n"
            "\n"
            "%s",
            MAX_REPS, MAX_THREADS, exit_codes_run);
}

static void help_validate(FILE *f)
{
    fprintf(f, "usage: clustersim validate FILE\n"
               "\n"
               "Loads and checks the scenario in FILE without running it, and prints what it\n"
               "describes, or the first error with its file, line and column.\n"
               "\n"
               "options:\n"
               "  -h, --help   show this help\n"
               "\n"
               "example:\n"
               "  clustersim validate scenarios/quickstart.yaml\n"
               "  scenarios/quickstart.yaml: ok (1 node pool, 9 nodes, 3 workloads, 4 properties, duration 24h)\n"
               "\n"
               "exit status:\n"
               "  0  the scenario is valid\n"
               "  2  it is not (the message says where and why), or bad usage\n"
               "  3  out of memory\n");
}

static void help_explain(FILE *f)
{
    fprintf(f,
            "usage: clustersim explain FILE --pod NAME [--at TIME]\n"
            "\n"
            "Runs replication 0 of the scenario in FILE (with its own seed) and shows the first\n"
            "scheduling attempt of one pod, as kube-scheduler would explain it: one row per node\n"
            "examined, in the order examined, with the filter that rejected the node and its\n"
            "reason, or each enabled score plugin's normalised score times its weight and the\n"
            "node's total. The chosen node is marked with '*', and ties at the top are noted\n"
            "(selectHost breaks them at random). The header gives numFeasibleNodesToFind (every\n"
            "node below 100 nodes, else percentageOfNodesToScore) and how many nodes were\n"
            "examined before that many fitted.\n"
            "\n"
            "options:\n"
            "  --pod NAME   the pod: WORKLOAD for its first pod, or WORKLOAD-K for the K-th pod\n"
            "               created for it, counting from 0 (replacements count too)\n"
            "  --at TIME    the first attempt at or after this virtual time, a duration such as\n"
            "               90s or 2h (default 0: the first attempt; the initial replicas are\n"
            "               placed at t = 0)\n"
            "  -h, --help   show this help\n"
            "\n"
            "examples:\n"
            "  clustersim explain scenarios/quickstart.yaml --pod web\n"
            "  clustersim explain scenarios/quickstart.yaml --pod web-8 --at 12h\n"
            "\n"
            "For every attempt of a run as JSON lines, use `clustersim run FILE --reps 1\n"
            "--trace T.jsonl --explain`.\n"
            "\n"
            "exit status:\n"
            "  0  the attempt was shown\n"
            "  2  bad input or usage, an unknown pod (workload names are suggested), or a pod\n"
            "     with no attempt at or after TIME\n"
            "  3  out of memory\n");
}

static void help_bench(FILE *f)
{
    cs_phold_params d = cs_phold_defaults();
    fprintf(f,
            "usage: clustersim bench phold [options]\n"
            "\n"
            "Runs the PHOLD benchmark (PHOLD.md) on the simulator's own event kernel: N logical\n"
            "processes each start with P events; every event schedules one more, at a lookahead\n"
            "plus an exponential delay, on a random LP with probability --remote. Prints one line\n"
            "per run in the spec's format (events, loop and set-up seconds, events per second,\n"
            "checksum, peak resident memory) and, with several runs, the median, min and max of\n"
            "the events per second. The defaults are the spec's phold-1k.\n"
            "\n"
            "options:\n"
            "  --lps N             logical processes (default %" PRIu32 ")\n"
            "  --events-per-lp P   initial events per LP (default %" PRIu32 ")\n"
            "  --end T             end time in seconds, 0 <= T < 9.2e9 (default %g)\n"
            "  --mean M            mean of the exponential delay, >= 0 (default %g)\n"
            "  --lookahead L       minimum delay, > 0 (default %g)\n"
            "  --remote P          probability of a random destination, 0 to 1 (default %g)\n"
            "  --seed S            seed, 0 to 2^64-1 (default %" PRIu64 ")\n"
            "  --runs R            runs, 1 to %d (default 1)\n"
            "  -h, --help          show this help\n"
            "\n"
            "example:\n"
            "  clustersim bench phold --end 100 --runs 5\n"
            "  (the spec's reference: events=1488165 checksum=1523144047 at --end 100)\n"
            "\n"
            "exit status:\n"
            "  0  the benchmark ran\n"
            "  2  bad usage\n"
            "  3  out of memory\n",
            d.n_lp, d.per_lp, d.t_end, d.mean, d.lookahead, d.p_remote, d.seed, MAX_RUNS);
}

static void help_compare(FILE *f)
{
    fprintf(f,
            "usage: clustersim compare BASE_DIR NEW_DIR [--metric NAME ...] [--alpha A] [--per-metric]\n"
            "\n"
            "Reads BASE_DIR/summary.json and NEW_DIR/summary.json (two runs of `clustersim run`)\n"
            "and prints, for every metric and property in both, the base and new value, the\n"
            "change, a test of whether it is real, and a verdict. When both folders hold\n"
            "replications.csv and the runs share seed and replication count, replication r of\n"
            "one is paired with replication r of the other: a metric by a paired t-test on the\n"
            "differences, a property by McNemar's exact test. Otherwise a metric's mean is\n"
            "tested with Welch's t-test (from its mean, sd and n), a property's probability with\n"
            "Fisher's exact test (held out of replications). Each metric has a bad direction,\n"
            "from its name:\n"
            "\n"
            "  down is bad   property.*.probability, nodes.up_mean, workload.*.ready_mean,\n"
            "                workload.*.ready_min, workload.*.full_fraction\n"
            "  up is bad     pods.pending_*, scheduler.unschedulable, workload.*.no_ready_s,\n"
            "                service.*.uncovered_s, pods.lost, drains.failed, drains.unfinished,\n"
            "                evictions.refused, *latency*, *time_to_ready*, *preemptions*\n"
            "  neutral       anything else (nodes.failures, pods.created, evictions.accepted,\n"
            "                pods.deleted.*, ...): 'changed', never a regression\n"
            "\n"
            "A change in the bad direction is WORSE when its p-value, Holm-adjusted over the\n"
            "tests of the table, is below alpha: alpha then bounds the chance of any false alarm\n"
            "in the whole table, not in each row. Run both with the same seed, so they see the\n"
            "same node failures (common random numbers; docs/compare.md).\n"
            "\n"
            "options:\n"
            "  --metric NAME   compare only the metrics matching NAME, a glob such as\n"
            "                  'workload.*.ready_mean' or 'property.*' (repeatable; default: all)\n"
            "  --alpha A       significance level, 0 < A < 1 (default 0.05)\n"
            "  --per-metric    test each row at alpha on its own, without the Holm adjustment\n"
            "                  (more sensitive; expect about alpha x rows false alarms)\n"
            "  -h, --help      show this help\n"
            "\n"
            "example:\n"
            "  clustersim run scenarios/policy-least.yaml --out results/least\n"
            "  clustersim run scenarios/policy-most.yaml --out results/most\n"
            "  clustersim compare results/least results/most\n"
            "\n"
            "exit status:\n"
            "  0  no metric got significantly worse\n"
            "  1  at least one metric got significantly worse in its bad direction\n"
            "  2  a folder, summary.json or replications.csv that cannot be read, or bad usage\n"
            "  3  out of memory\n");
}

static void help_help(FILE *f)
{
    fprintf(f, "usage: clustersim help [COMMAND]\n"
               "\n"
               "Shows the help of COMMAND (run, validate, explain, compare, plot, bench, help), or\n"
               "the overview without one.\n"
               "`clustersim COMMAND --help` shows the same.\n"
               "\n"
               "example:\n"
               "  clustersim help run\n"
               "\n"
               "exit status:\n"
               "  0  help was shown\n"
               "  2  no such command\n");
}

/* ---- did you mean ------------------------------------------------------------------------ */

/* Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return SIZE_MAX;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The closest of names[0 .. n-1] to word, when close enough to be a typo; else NULL. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, names[i]);
        size_t len = strlen(names[i]);
        bool prefix = strlen(word) >= 2 && strncmp(word, names[i], strlen(word)) == 0;
        if (prefix)
            d = 1;
        if ((d <= 2 && d < len) && d < best_d) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

/* ---- arguments --------------------------------------------------------------------------- */

static void usage_hint(const char *cmd)
{
    fprintf(stderr, "Try 'clustersim %s%s--help' for more information.\n", cmd, cmd[0] ? " " : "");
}

static int bad_value(const char *cmd, const char *opt, const char *expected, const char *found)
{
    fprintf(stderr, "clustersim %s: %s: expected %s, found \"%s\"\n", cmd, opt, expected, found);
    usage_hint(cmd);
    return EXIT_USAGE;
}

/* Parses a decimal integer in [lo, hi]; no sign, no spaces, no trailing characters. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (s[0] < '0' || s[0] > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_real(const char *s, double *out)
{
    if (s[0] == '\0' || s[0] == ' ' || s[0] == '\t')
        return false;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Reports an unknown option or a missing value from getopt_long (which ran with opterr = 0
 * and a leading ':'), suggesting the closest long option. */
static int bad_option(const char *cmd, int c, char **argv, const struct option *opts)
{
    const char *word = argv[optind - 1];
    if (c == ':') {
        const char *name = word;
        for (const struct option *o = opts; o->name != NULL; o++)
            if (o->val == optopt)
                name = o->name;
        fprintf(stderr, "clustersim %s: --%s: expected a value after it\n", cmd, name);
        usage_hint(cmd);
        return EXIT_USAGE;
    }
    char shown[64];
    if (optopt != 0 && optopt != '?')
        snprintf(shown, sizeof shown, "-%c", optopt);
    else
        snprintf(shown, sizeof shown, "%s", word);
    fprintf(stderr, "clustersim %s: unknown option '%s'\n", cmd, shown);
    if (strncmp(shown, "--", 2) == 0) {
        char bare[64];
        snprintf(bare, sizeof bare, "%s", shown + 2);
        char *eq = strchr(bare, '=');
        if (eq != NULL)
            *eq = '\0';
        const char *names[32];
        size_t n = 0;
        for (const struct option *o = opts; o->name != NULL && n < 32; o++)
            names[n++] = o->name;
        const char *near = closest(bare, names, n);
        if (near != NULL)
            fprintf(stderr, "clustersim %s: did you mean '--%s'?\n", cmd, near);
    }
    usage_hint(cmd);
    return EXIT_USAGE;
}

static void print_diag(const cs_diag *d)
{
    char buf[1200];
    fputs(cs_diag_format(d, buf, sizeof buf), stderr);
}

static int out_of_memory(void)
{
    fprintf(stderr, "clustersim: error: out of memory\n");
    return EXIT_INTERNAL;
}

/* Loads a scenario and, unless quiet, notes the manifest kinds it skipped. Returns 0 with *cfg set, or the exit
 * status after printing the error:
 * a file that cannot be read is the user's input, so it exits 2 like a bad one. */
/* Prints, once, the kinds of the manifests that clustersim read but does not model. */
static void print_notes(const cs_config *cfg)
{
    if (cfg->n_skipped_kinds > 0) {
        fprintf(stderr, "note: skipped %" PRIu32 " kind%s clustersim does not model: ", cfg->n_skipped_kinds,
                cfg->n_skipped_kinds == 1 ? "" : "s");
        for (uint32_t i = 0; i < cfg->n_skipped_kinds; i++)
            fprintf(stderr, "%s%s", i > 0 ? ", " : "", cfg->skipped_kinds[i]);
        fputc('\n', stderr);
    }
}

static int load(const char *path, bool quiet, cs_config **cfg)
{
    cs_diag d = {0};
    switch (cs_scenario_load_file(path, cfg, &d)) {
    case CS_OK:
        if (!quiet)
            print_notes(*cfg);
        return 0;
    case CS_ENOMEM: return out_of_memory();
    case CS_EINPUT:
    case CS_EIO: break;
    }
    if (d.file[0] == '\0')
        snprintf(d.file, sizeof d.file, "%s", path);
    print_diag(&d);
    return EXIT_USAGE;
}

/* Takes the one positional argument left after getopt, or reports what is wrong. */
static int one_file(const char *cmd, int argc, char **argv, const char **file)
{
    if (optind >= argc) {
        fprintf(stderr, "clustersim %s: expected a scenario file\n", cmd);
        usage_hint(cmd);
        return EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "clustersim %s: unexpected argument '%s' after '%s'\n", cmd, argv[optind + 1],
                argv[optind]);
        usage_hint(cmd);
        return EXIT_USAGE;
    }
    *file = argv[optind];
    return 0;
}

/* ---- run --------------------------------------------------------------------------------- */

enum { OPT_REPS = 256, OPT_SEED, OPT_THREADS, OPT_OUT, OPT_TRACE, OPT_EXPLAIN, OPT_PRECISION, OPT_PROGRESS,
       OPT_NO_PLOTS, OPT_NO_REPLICATIONS };

/* Draws the plots of the results folder `dir`. Prints a note (unless quiet) when gnuplot is
 * missing or fails, which changes no exit status; returns EXIT_INTERNAL (after the message)
 * when the plots folder cannot be written, and for `clustersim plot` EXIT_USAGE when dir is
 * not a results folder and EXIT_INTERNAL when gnuplot failed; else 0. */
static int draw_plots(const char *dir, bool quiet, bool gnuplot_failure_is_error)
{
    cs_plot_outcome out = CS_PLOT_DRAWN;
    cs_diag d = {0};
    switch (cs_plot_results(dir, &out, &d)) {
    case CS_OK: break;
    case CS_ENOMEM: return out_of_memory();
    case CS_EINPUT: print_diag(&d); return EXIT_USAGE;
    case CS_EIO: print_diag(&d); return EXIT_INTERNAL;
    }
    if (out == CS_PLOT_NO_GNUPLOT && !quiet)
        fprintf(stderr, "note: gnuplot is not on PATH, so no plots were drawn; %s/plots/plots.gp is ready "
                        "for it (then: clustersim plot %s)\n", dir, dir);
    if (out == CS_PLOT_GNUPLOT_FAILED && (!quiet || gnuplot_failure_is_error))
        fprintf(stderr, "note: gnuplot failed on %s/plots/plots.gp, so no plots were drawn\n", dir);
    if (out == CS_PLOT_DRAWN && !quiet)
        printf("plots: %s/plots\n", dir);
    return out == CS_PLOT_GNUPLOT_FAILED && gnuplot_failure_is_error ? EXIT_INTERNAL : 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"reps", required_argument, NULL, OPT_REPS},   {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS}, {"out", required_argument, NULL, OPT_OUT},
        {"trace", required_argument, NULL, OPT_TRACE}, {"quiet", no_argument, NULL, 'q'},
        {"explain", no_argument, NULL, OPT_EXPLAIN},   {"help", no_argument, NULL, 'h'},
        {"precision", required_argument, NULL, OPT_PRECISION},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-plots", no_argument, NULL, OPT_NO_PLOTS},
        {"no-replications", no_argument, NULL, OPT_NO_REPLICATIONS},
        {NULL, 0, NULL, 0},
    };
    cs_run_options ro = {.keep_replications = true};
    double x;
    const char *out_dir = NULL, *trace_path = NULL, *file = NULL;
    bool quiet = false, explain = false, plots = true;
    uint64_t v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_NO_PLOTS: plots = false; break;
        case OPT_NO_REPLICATIONS: ro.keep_replications = false; break;
        case OPT_REPS:
            if (!parse_u64(optarg, 1, MAX_REPS, &v))
                return bad_value("run", "--reps", "an integer between 1 and 1000000", optarg);
            ro.reps = (uint32_t)v;
            break;
        case OPT_SEED:
            if (!parse_u64(optarg, 0, UINT64_MAX, &v))
                return bad_value("run", "--seed", "an integer between 0 and 18446744073709551615", optarg);
            ro.seed = v;
            ro.seed_given = true;
            break;
        case OPT_THREADS:
            if (!parse_u64(optarg, 1, MAX_THREADS, &v))
                return bad_value("run", "--threads", "an integer between 1 and 4096", optarg);
            ro.threads = (int)v;
            break;
        case OPT_OUT:
            if (optarg[0] == '\0')
                return bad_value("run", "--out", "a directory", optarg);
            out_dir = optarg;
            break;
        case OPT_TRACE:
            if (optarg[0] == '\0')
                return bad_value("run", "--trace", "a file name", optarg);
            trace_path = optarg;
            break;
        case OPT_EXPLAIN: explain = true; break;
        case OPT_PRECISION:
            if (!parse_real(optarg, &x) || !(x > 0 && x < 1))
                return bad_value("run", "--precision", "a relative half-width between 0 and 1, such as 0.01",
                                 optarg);
            ro.precision = x;
            break;
        case OPT_PROGRESS: ro.progress_always = true; break;
        case 'q': quiet = true; break;
        case 'h': help_run(stdout); return 0;
        default: return bad_option("run", c, argv, opts);
        }
    }
    int rc = one_file("run", argc, argv, &file);
    if (rc != 0)
        return rc;
    if (explain && trace_path == NULL) {
        fprintf(stderr, "clustersim run: --explain: expected --trace FILE too (the explanations go to the trace)\n");
        usage_hint("run");
        return EXIT_USAGE;
    }

    cs_config *cfg = NULL;
    if ((rc = load(file, quiet, &cfg)) != 0)
        return rc;

    char *summary_path = NULL;
    size_t size = (out_dir != NULL ? strlen(out_dir) : strlen("results/") + strlen(cfg->name)) + 16;
    if ((summary_path = malloc(size)) == NULL) {
        cs_config_free(cfg);
        return out_of_memory();
    }
    if (out_dir != NULL) {
        size_t len = strlen(out_dir);
        snprintf(summary_path, size, "%s%ssummary.json", out_dir, out_dir[len - 1] == '/' ? "" : "/");
    } else {
        snprintf(summary_path, size, "results/%s/summary.json", cfg->name);
    }

    cs_diag d = {0};
    cs_trace_sink sink = {0};
    cs_run_summary s = {0};
    cs_status st = CS_OK;
    /* Replication 0, the traced one, always runs on rank 0 (runner.h), so only rank 0 opens
     * the trace; a failure there stops every rank before the run. */
    if (trace_path != NULL && cs_ranks_rank() == 0 && (st = cs_trace_file_open(trace_path, &sink, &d)) == CS_OK) {
        sink.explain = explain;
        ro.trace = &sink;
    }
    if (cs_ranks_any(st != CS_OK) && st == CS_OK)
        st = CS_EIO;
    if (st == CS_OK) {
        ro.progress = !quiet;
        ro.progress_tty = isatty(2) != 0;
        st = cs_runner_run(cfg, &ro, &s);
        if (st == CS_OK && !s.root) {   /* an MPI rank > 0: rank 0 writes and reports */
            rc = s.passed ? EXIT_PASSED : EXIT_FAILED;
            cs_run_summary_fini(&s);
            free(summary_path);
            cs_config_free(cfg);
            return rc;
        }
        /* The results first, then the trace: a run that cannot write its results leaves no
         * trace of itself either. */
        if (st == CS_OK && s.replications_dropped)
            fprintf(stderr, "note: not enough memory to keep every replication's values, so no "
                            "replications.csv (compare will test this run unpaired)\n");
        if (st == CS_OK)
            st = cs_report_write_results(cfg, &s, summary_path, &d);
        if (st != CS_OK)
            cs_trace_file_discard(&sink);
        else if (trace_path != NULL)
            st = cs_trace_file_close(&sink, &d);
    }

    if (st == CS_OK) {
        rc = s.passed ? EXIT_PASSED : EXIT_FAILED;
        if (!quiet) {
            cs_report_print(stdout, cfg, &s, summary_path);
            if (trace_path != NULL)
                printf("trace: %s\n", trace_path);
        }
        char *dir = plots ? cs_report_sibling(summary_path, ".") : NULL;
        if (plots && dir == NULL) {
            rc = out_of_memory();
        } else if (plots) {
            dir[strlen(dir) - 2] = '\0';   /* "DIR/." to "DIR"; "." alone for no directory */
            int prc = draw_plots(dir[0] != '\0' ? dir : ".", quiet, false);
            rc = prc != 0 ? prc : rc;
            free(dir);
        }
    } else if (st == CS_ENOMEM) {
        rc = out_of_memory();
    } else {
        print_diag(&d);
        rc = EXIT_INTERNAL;
    }
    cs_run_summary_fini(&s);
    free(summary_path);
    cs_config_free(cfg);
    return rc;
}

/* ---- validate ---------------------------------------------------------------------------- */

static const char *plural(uint32_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            help_validate(stdout);
            return 0;
        }
        return bad_option("validate", c, argv, opts);
    }
    const char *file = NULL;
    cs_config *cfg = NULL;
    int rc = one_file("validate", argc, argv, &file);
    if (rc != 0 || (rc = load(file, false, &cfg)) != 0)
        return rc;
    char dur[64];
    printf("%s: ok (%u %s, %u %s, %u %s, %u %s, duration %s)\n", file, cfg->n_pools,
           plural(cfg->n_pools, "node pool", "node pools"), cfg->n_nodes, plural(cfg->n_nodes, "node", "nodes"),
           cfg->n_workloads, plural(cfg->n_workloads, "workload", "workloads"), cfg->n_properties,
           plural(cfg->n_properties, "property", "properties"),
           cs_report_format_duration(cfg->duration, dur, sizeof dur));
    cs_config_free(cfg);
    return 0;
}

/* ---- explain ----------------------------------------------------------------------------- */

enum { OPT_POD = 256, OPT_AT };

/* Names the workloads, sorted, with the closest one as a did-you-mean, after an unknown pod. */
static int unknown_pod(const cs_config *cfg, const char *name)
{
    fprintf(stderr, "clustersim explain: --pod: no workload's pod is named '%s'\n", name);
    const char **names = malloc((cfg->n_workloads + 1) * sizeof *names);
    if (names == NULL)
        return out_of_memory();
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        names[i] = cfg->workloads[i].name;
    /* Compare "web-7" with the workload names too after dropping a numeric suffix. */
    char bare[128];
    snprintf(bare, sizeof bare, "%s", name);
    char *dash = strrchr(bare, '-');
    const char *near = closest(bare, names, cfg->n_workloads);
    if (near == NULL && dash != NULL && dash[1] >= '0' && dash[1] <= '9') {
        *dash = '\0';
        near = closest(bare, names, cfg->n_workloads);
    }
    if (near != NULL)
        fprintf(stderr, "clustersim explain: did you mean '%s'?\n", near);
    for (uint32_t i = 1; i < cfg->n_workloads; i++)   /* insertion sort: a handful of names */
        for (uint32_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    fprintf(stderr, "clustersim explain: workloads:");
    for (uint32_t i = 0; i < cfg->n_workloads; i++)
        fprintf(stderr, "%s %s", i > 0 ? "," : "", names[i]);
    fprintf(stderr, "%s (a pod is WORKLOAD or WORKLOAD-K)\n", cfg->n_workloads == 0 ? " none" : "");
    free(names);
    return EXIT_USAGE;
}

static int cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        {"pod", required_argument, NULL, OPT_POD},
        {"at", required_argument, NULL, OPT_AT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pod = NULL, *file = NULL, *why = NULL;
    cs_explain_query q = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_POD:
            if (optarg[0] == '\0')
                return bad_value("explain", "--pod", "a pod name such as web or web-2", optarg);
            pod = optarg;
            break;
        case OPT_AT:
            if (!cs_parse_duration(optarg, &q.at, &why) || q.at < 0)
                return bad_value("explain", "--at", "a virtual time such as 90s or 2h, at least 0", optarg);
            break;
        case 'h': help_explain(stdout); return 0;
        default: return bad_option("explain", c, argv, opts);
        }
    }
    int rc = one_file("explain", argc, argv, &file);
    if (rc != 0)
        return rc;
    if (pod == NULL) {
        fprintf(stderr, "clustersim explain: expected --pod NAME\n");
        usage_hint("explain");
        return EXIT_USAGE;
    }
    cs_config *cfg = NULL;
    if ((rc = load(file, false, &cfg)) != 0)
        return rc;
    if (!cs_explain_parse_pod(cfg, pod, &q)) {
        rc = unknown_pod(cfg, pod);
        cs_config_free(cfg);
        return rc;
    }
    cs_explain_outcome out = CS_EXPLAIN_SHOWN;
    if (cs_explain_run(cfg, &q, pod, stdout, &out) != CS_OK) {
        rc = out_of_memory();
    } else if (out == CS_EXPLAIN_NOT_CREATED) {
        fprintf(stderr, "clustersim explain: --pod: workload '%s' never had a pod number %" PRIu32
                        " in replication 0 (pods count from 0)\n",
                cfg->workloads[q.workload].name, q.index);
        rc = EXIT_USAGE;
    } else if (out == CS_EXPLAIN_NO_ATTEMPT) {
        char dur[48];
        fprintf(stderr, "clustersim explain: pod '%s' had no scheduling attempt at or after %s\n", pod,
                cs_report_format_duration(q.at, dur, sizeof dur));
        rc = EXIT_USAGE;
    }
    cs_config_free(cfg);
    return rc;
}

/* ---- compare ----------------------------------------------------------------------------- */

enum { OPT_METRIC = 256, OPT_ALPHA, OPT_PER_METRIC };

static int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"metric", required_argument, NULL, OPT_METRIC},
        {"alpha", required_argument, NULL, OPT_ALPHA},
        {"per-metric", no_argument, NULL, OPT_PER_METRIC},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cs_compare_options co = {.alpha = 0.05};
    const char **patterns = calloc((size_t)argc + 1, sizeof *patterns);
    if (patterns == NULL)
        return out_of_memory();
    co.metrics = patterns;
    int c, rc = -1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_METRIC:
            if (optarg[0] == '\0')
                rc = bad_value("compare", "--metric", "a metric name or glob", optarg);
            else
                patterns[co.n_metrics++] = optarg;
            break;
        case OPT_ALPHA:
            if (!parse_real(optarg, &co.alpha) || !(co.alpha > 0 && co.alpha < 1))
                rc = bad_value("compare", "--alpha", "a significance level between 0 and 1, such as 0.05", optarg);
            break;
        case OPT_PER_METRIC: co.per_metric = true; break;
        case 'h': help_compare(stdout); rc = 0; break;
        default: rc = bad_option("compare", c, argv, opts);
        }
    }
    if (rc < 0 && argc - optind != 2) {
        fprintf(stderr, "clustersim compare: expected two results folders, BASE_DIR and NEW_DIR, found %d argument%s\n",
                argc - optind, argc - optind == 1 ? "" : "s");
        usage_hint("compare");
        rc = EXIT_USAGE;
    }
    if (rc < 0) {
        bool regressed = false;
        cs_diag d = {0};
        switch (cs_compare_run(argv[optind], argv[optind + 1], &co, stdout, &regressed, &d)) {
        case CS_OK: rc = regressed ? EXIT_FAILED : EXIT_PASSED; break;
        case CS_ENOMEM: rc = out_of_memory(); break;
        case CS_EINPUT:
        case CS_EIO:
            print_diag(&d);
            rc = EXIT_USAGE;
            break;
        }
    }
    free(patterns);
    return rc;
}

/* ---- bench ------------------------------------------------------------------------------- */

enum { OPT_LPS = 256, OPT_PER_LP, OPT_END, OPT_MEAN, OPT_LOOKAHEAD, OPT_REMOTE, OPT_BSEED, OPT_RUNS };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmd_bench_phold(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lps", required_argument, NULL, OPT_LPS},
        {"events-per-lp", required_argument, NULL, OPT_PER_LP},
        {"end", required_argument, NULL, OPT_END},
        {"mean", required_argument, NULL, OPT_MEAN},
        {"lookahead", required_argument, NULL, OPT_LOOKAHEAD},
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"seed", required_argument, NULL, OPT_BSEED},
        {"runs", required_argument, NULL, OPT_RUNS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "bench phold";
    cs_phold_params prm = cs_phold_defaults();
    uint64_t v, runs = 1;
    double x;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LPS:
            if (!parse_u64(optarg, 1, UINT32_MAX, &v))
                return bad_value(cmd, "--lps", "an integer between 1 and 4294967295", optarg);
            prm.n_lp = (uint32_t)v;
            break;
        case OPT_PER_LP:
            if (!parse_u64(optarg, 1, UINT32_MAX, &v))
                return bad_value(cmd, "--events-per-lp", "an integer between 1 and 4294967295", optarg);
            prm.per_lp = (uint32_t)v;
            break;
        case OPT_END:
            if (!parse_real(optarg, &x) || !(x >= 0 && x < 9.2e9))
                return bad_value(cmd, "--end", "seconds, at least 0 and below 9.2e9", optarg);
            prm.t_end = x;
            break;
        case OPT_MEAN:
            if (!parse_real(optarg, &x) || !(x >= 0))
                return bad_value(cmd, "--mean", "a number of seconds, at least 0", optarg);
            prm.mean = x;
            break;
        case OPT_LOOKAHEAD:
            if (!parse_real(optarg, &x) || !(x > 0))
                return bad_value(cmd, "--lookahead", "a number of seconds greater than 0", optarg);
            prm.lookahead = x;
            break;
        case OPT_REMOTE:
            if (!parse_real(optarg, &x) || !(x >= 0 && x <= 1))
                return bad_value(cmd, "--remote", "a probability between 0 and 1", optarg);
            prm.p_remote = x;
            break;
        case OPT_BSEED:
            if (!parse_u64(optarg, 0, UINT64_MAX, &v))
                return bad_value(cmd, "--seed", "an integer between 0 and 18446744073709551615", optarg);
            prm.seed = v;
            break;
        case OPT_RUNS:
            if (!parse_u64(optarg, 1, MAX_RUNS, &v))
                return bad_value(cmd, "--runs", "an integer between 1 and 1000", optarg);
            runs = v;
            break;
        case 'h': help_bench(stdout); return 0;
        default: return bad_option(cmd, c, argv, opts);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "clustersim %s: unexpected argument '%s'\n", cmd, argv[optind]);
        usage_hint(cmd);
        return EXIT_USAGE;
    }
    if ((uint64_t)prm.n_lp * prm.per_lp > UINT32_MAX / 4) {
        fprintf(stderr, "clustersim %s: --lps times --events-per-lp must be at most %u, found %" PRIu64 "\n",
                cmd, UINT32_MAX / 4, (uint64_t)prm.n_lp * prm.per_lp);
        usage_hint(cmd);
        return EXIT_USAGE;
    }

    double *eps = malloc(runs * sizeof *eps);
    if (eps == NULL)
        return out_of_memory();
    for (uint64_t r = 0; r < runs; r++) {
        cs_phold_result res;
        cs_status st = cs_phold_run(&prm, &res);
        if (st != CS_OK) {
            free(eps);
            if (st == CS_ENOMEM)
                return out_of_memory();
            fprintf(stderr, "clustersim %s: parameters outside the spec's ranges\n", cmd);
            return EXIT_USAGE;
        }
        eps[r] = (double)res.events / res.loop_s;
        printf("engine=clustersim-kernel n=%u p=%u t_end=%g events=%llu loop_s=%.6f setup_s=%.6f eps=%.0f "
               "checksum=%llu maxrss_kb=%ld\n",
               prm.n_lp, prm.per_lp, prm.t_end, (unsigned long long)res.events, res.loop_s, res.setup_s,
               eps[r], (unsigned long long)res.checksum, cs_peak_rss_kb());
        fflush(stdout);
    }
    if (runs > 1) {
        qsort(eps, runs, sizeof *eps, cmp_double);
        double median = runs % 2 ? eps[runs / 2] : (eps[runs / 2 - 1] + eps[runs / 2]) / 2;
        printf("median_eps=%.0f min_eps=%.0f max_eps=%.0f\n", median, eps[0], eps[runs - 1]);
    }
    free(eps);
    return 0;
}

static void help_plot(FILE *f)
{
    fprintf(f, "usage: clustersim plot DIR\n"
               "\n"
               "Draws the plots of a results folder (what `clustersim run` wrote) again, from its\n"
               "timeseries.csv and summary.json alone: DIR/plots/plots.gp, run with gnuplot when it\n"
               "is on PATH, writes PNG and SVG files into DIR/plots: ready-<workload> (ready pods\n"
               "with their 95%% band, desired, and each availability property's minReady), pending,\n"
               "nodes (nodes up and Ready, requested over allocatable CPU and memory), violations\n"
               "(the share of replications in violation of each property) and latency (p50 to\n"
               "p99.9 of scheduling latency and time to ready, per workload). Without gnuplot the\n"
               "script is written and a note says so.\n"
               "\n"
               "options:\n"
               "  -h, --help   show this help\n"
               "\n"
               "example:\n"
               "  clustersim plot results/quickstart\n"
               "\n"
               "exit status:\n"
               "  0  the plots were drawn, or gnuplot is missing (the note says so)\n"
               "  2  DIR is not a results folder (no summary.json), or bad usage\n"
               "  3  gnuplot failed, the plots folder cannot be written, or out of memory\n");
}

static int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            help_plot(stdout);
            return 0;
        }
        return bad_option("plot", c, argv, opts);
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "clustersim plot: expected one results folder%s\n", optind < argc ? ", found more" : "");
        usage_hint("plot");
        return EXIT_USAGE;
    }
    return draw_plots(argv[optind], false, true);
}

static int cmd_bench(int argc, char **argv)
{
    static const char *const benches[] = {"phold"};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        help_bench(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "phold") == 0)
        return cmd_bench_phold(argc - 1, argv + 1);
    fprintf(stderr, "clustersim bench: unknown benchmark '%s' (known: phold)\n", argv[1]);
    if (closest(argv[1], benches, 1) != NULL)
        fprintf(stderr, "clustersim bench: did you mean 'phold'?\n");
    usage_hint("bench");
    return EXIT_USAGE;
}

/* ---- commands ---------------------------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *f);
} commands[] = {
    {"run", cmd_run, help_run},
    {"validate", cmd_validate, help_validate},
    {"explain", cmd_explain, help_explain},
    {"compare", cmd_compare, help_compare},
    {"bench", cmd_bench, help_bench},
    {"plot", cmd_plot, help_plot},
    {"help", cmd_help, help_help},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int unknown_command(const char *name)
{
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    fprintf(stderr, "clustersim: unknown command '%s' (commands: bench, compare, explain, help, plot, run, validate)\n",
            name);
    const char *near = closest(name, names, N_COMMANDS);
    if (near != NULL)
        fprintf(stderr, "clustersim: did you mean '%s'?\n", near);
    usage_hint("");
    return EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        help_main(stdout);
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (c == NULL)
        return unknown_command(argv[1]);
    c->help(stdout);
    return 0;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();   /* a bad parameter must become a message, not an abort */
    if (cs_ranks_init(&argc, &argv) != CS_OK) {
        fprintf(stderr, "clustersim: error: MPI could not start with MPI_THREAD_SERIALIZED\n");
        return EXIT_INTERNAL;
    }
    /* Under mpirun every rank runs the same command on the same input and reaches the same
     * outcome; rank 0 alone speaks, so a message is not printed once per rank. */
    if (cs_ranks_rank() > 0 && (freopen("/dev/null", "w", stdout) == NULL || freopen("/dev/null", "w", stderr) == NULL))
        return EXIT_INTERNAL;
    int rc = dispatch(argc, argv);
    /* Every rank reaches the same outcome, and rank 0 reports it. The other ranks exit 0:
     * mpirun aborts the whole job when a rank exits non-zero, and a rank > 0 exiting 1 (a
     * property failed) could otherwise kill rank 0 before summary.json is written.
     * MPI_Finalize waits for every rank, so rank 0's status is the job's. */
    bool other_rank = cs_ranks_rank() > 0;
    cs_ranks_fini();
    return other_rank ? 0 : rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: clustersim <command> [options]   "
                        "(commands: run, validate, explain, compare, plot, bench, help)\n");
        usage_hint("");
        return EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("clustersim %s\n", cs_version());
        return 0;
    }
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        help_main(stdout);
        return 0;
    }
    if (first[0] == '-') {
        static const char *const known[] = {"--help", "--version"};
        fprintf(stderr, "clustersim: unknown option '%s'\n", first);
        const char *near = closest(first, known, 2);
        if (near != NULL)
            fprintf(stderr, "clustersim: did you mean '%s'?\n", near);
        usage_hint("");
        return EXIT_USAGE;
    }
    const struct command *c = find_command(first);
    if (c == NULL)
        return unknown_command(first);
    return c->run(argc - 1, argv + 1);
}
