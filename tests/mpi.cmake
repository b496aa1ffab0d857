# mpi.cmake -- `mpirun -np 2 clustersim run` writes the same summary.json bytes as one process
# with the same seed: plain, with --precision (batches cut across the ranks), with 2 threads in
# each rank, and with a failing property (exit 1 through mpirun, the summary still written).
#
# cmake -DCLUSTERSIM=<binary> -DMPIRUN=<mpirun> -DQUICKSTART=<quickstart.yaml>
#       -DPOLICY=<policy-least.yaml> -DFAILS=<fails/input.yaml> -DWORK=<scratch dir> -P mpi.cmake
#
# Only the `fails` case exits 1: mpirun takes about a second longer over a non-zero exit.
#
# --allow-run-as-root: Open MPI 4.1 refuses to start as root without it (or without both
# OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1), and CI runs as root.
# --oversubscribe: more ranks than cores is allowed (the CI machine has two).
# --bind-to none: with 2 threads per rank, both threads must not be pinned to one core.

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(MPIRUN_FLAGS --oversubscribe --allow-run-as-root --bind-to none)

function(run_once label want)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc MATCHES "^(${want})$")
    message(FATAL_ERROR "mpi: ${label}: '${ARGN}' exited '${rc}', expected ${want}\nstdout:\n${o}\nstderr:\n${e}")
  endif()
endfunction()

# Fails unless each file named in ARGN has the same bytes in folders a and b.
function(same_files label a b)
  foreach(f ${ARGN})
    file(SHA256 "${a}/${f}" ha)
    file(SHA256 "${b}/${f}" hb)
    if(NOT ha STREQUAL hb)
      message(FATAL_ERROR "mpi: ${label}: ${f} differs between one process and the ranks")
    endif()
  endforeach()
  message(STATUS "mpi: ${label}: same bytes")
endfunction()

# Runs SCENARIO once alone and once under mpirun -np 2 (the rest of ARGN are run options),
# expects exit `want` from both and the same summary.json and timeseries.csv bytes.
function(same_bytes label want threads scenario)
  run_once("${label}, one process" ${want} "${CLUSTERSIM}" run "${scenario}" ${ARGN} --quiet --no-plots
           --out "${WORK}/${label}-1")
  run_once("${label}, 2 ranks" ${want} ${CMAKE_COMMAND} -E env OMP_NUM_THREADS=${threads}
           "${MPIRUN}" ${MPIRUN_FLAGS} -np 2 "${CLUSTERSIM}" run "${scenario}" ${ARGN} --quiet --no-plots
           --out "${WORK}/${label}-2")
  same_files("${label}" "${WORK}/${label}-1" "${WORK}/${label}-2" timeseries.csv summary.json)
endfunction()

same_bytes(plain 0 1 "${QUICKSTART}" --reps 101)
same_bytes(precision 0 1 "${POLICY}" --precision 0.01 --reps 5000)
same_bytes(threads 0 2 "${QUICKSTART}" --reps 200 --seed 9)
same_bytes(fails 1 1 "${FAILS}")
# More than one transport chunk (2048 replications) of a batch: 5000 in 3 gathers.
same_bytes(chunks "0|1" 1 "${QUICKSTART}" --reps 5000)

file(READ "${WORK}/precision-2/summary.json" json)
string(JSON batches GET "${json}" stopping batches)
if(batches LESS 2)
  message(FATAL_ERROR "mpi: --precision ran ${batches} batch(es); the test means to cross batches")
endif()

# More ranks than replications: rounding the shares up keeps replication 0 on rank 0, which
# alone writes the trace, so the trace (and the summary) are those of one process.
run_once("trace, one process" 0 "${CLUSTERSIM}" run "${POLICY}" --reps 2 --quiet --no-plots --out "${WORK}/trace-1"
         --trace "${WORK}/trace-1/trace.jsonl")
run_once("trace, 3 ranks" 0 "${MPIRUN}" ${MPIRUN_FLAGS} -np 3 "${CLUSTERSIM}" run "${POLICY}" --reps 2 --quiet --no-plots
         --out "${WORK}/trace-3" --trace "${WORK}/trace-3/trace.jsonl")
same_files("3 ranks, 2 replications" "${WORK}/trace-1" "${WORK}/trace-3" trace.jsonl summary.json)
file(SIZE "${WORK}/trace-3/trace.jsonl" size)
if(size EQUAL 0)
  message(FATAL_ERROR "mpi: 3 ranks, 2 replications: the trace is empty")
endif()
