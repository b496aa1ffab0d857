/* plot.h -- plots of a results folder, drawn by gnuplot.
 *
 * Everything is read back from the folder (timeseries.csv's header, summary.json), so
 * `clustersim run` and `clustersim plot DIR` draw the same pictures from the same files. The
 * plots are a gnuplot script, DIR/plots/plots.gp (and latency.dat beside it), which gnuplot
 * runs in DIR/plots to write PNG and SVG files there: ready pods per workload with their 95%
 * band and the availability threshold, pending pods, nodes and utilisation, property
 * violations over time, latency percentiles per workload. Without gnuplot on PATH the script
 * is still written, so it can be run elsewhere.
 */
#ifndef CLUSTERSIM_PLOT_H
#define CLUSTERSIM_PLOT_H

#include "clustersim/common.h"

typedef enum cs_plot_outcome {
    CS_PLOT_DRAWN,           /* gnuplot ran and exited 0 */
    CS_PLOT_NO_GNUPLOT,      /* no executable gnuplot on PATH: only the script was written */
    CS_PLOT_GNUPLOT_FAILED,  /* gnuplot ran and failed (its messages went to stderr): none of
                                the script's images is left in DIR/plots, neither a new one
                                nor an earlier draw's */
} cs_plot_outcome;

/* Writes DIR/plots/plots.gp from DIR/summary.json and DIR/timeseries.csv (which may be
 * missing: then only the latency plot is drawn) and runs gnuplot on it when it is on PATH.
 * Returns CS_OK with *outcome set; CS_EINPUT when summary.json is missing or not a
 * clustersim summary (diag names the file and what is wrong); CS_EIO when the plots folder
 * cannot be written or an image cannot be renamed into place (diag names it); CS_ENOMEM. The
 * names of the image files written are those of the script's `set output` lines; gnuplot
 * writes each to "<name>.tmp.<pid>" first, renamed into place once it has exited 0. */
cs_status cs_plot_results(const char *dir, cs_plot_outcome *outcome, cs_diag *diag);

#endif
