# reproduce.cmake -- a results folder reproduces its run: `clustersim run DIR/scenario.yaml`,
# with no options, from a copy of the folder moved elsewhere, writes the same summary.json
# (except scenario.file, the path each run was given) and the same timeseries.csv.
#
# cmake -DCLUSTERSIM=<binary> -DWORK=<dir> -DSCENARIOS="<a.yaml>;<b.yaml>" -P reproduce.cmake
#
# The first runs use --reps and --seed, which the copy must carry; the inputs include
# manifests by relative paths, an empirical sample file and a plain manifest file, which the
# folder must hold for the moved copy to load.

foreach(var CLUSTERSIM WORK SCENARIOS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "reproduce.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")

function(run label)
  execute_process(COMMAND "${CLUSTERSIM}" run ${ARGN} --quiet --no-plots
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0" AND NOT rc STREQUAL "1")
    message(FATAL_ERROR "reproduce: ${label}: 'clustersim run ${ARGN}' exited '${rc}'\n${out}\n${err}")
  endif()
endfunction()

set(i 0)
foreach(scenario ${SCENARIOS})
  set(dir "${WORK}/${i}")
  run("${scenario}" "${scenario}" --reps 7 --seed 4242 --out "${dir}/first")
  file(COPY "${dir}/first/" DESTINATION "${dir}/moved")
  run("${scenario}, again" "${dir}/moved/scenario.yaml" --out "${dir}/again")

  file(STRINGS "${dir}/first/summary.json" a)
  file(STRINGS "${dir}/again/summary.json" b)
  list(FILTER a EXCLUDE REGEX "^    \"file\": ")
  list(FILTER b EXCLUDE REGEX "^    \"file\": ")
  list(LENGTH a na)
  file(STRINGS "${dir}/first/summary.json" whole)
  list(LENGTH whole nw)
  math(EXPR dropped "${nw} - ${na}")
  if(NOT dropped EQUAL 1)
    message(FATAL_ERROR "reproduce: ${scenario}: expected one scenario.file line, found ${dropped}")
  endif()
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "reproduce: ${scenario}: summary.json of ${dir}/moved/scenario.yaml differs from "
                        "the first run's (scenario.file aside)")
  endif()
  file(SHA256 "${dir}/first/timeseries.csv" h1)
  file(SHA256 "${dir}/again/timeseries.csv" h2)
  if(NOT h1 STREQUAL h2)
    message(FATAL_ERROR "reproduce: ${scenario}: timeseries.csv differs between the run and its copy")
  endif()
  file(STRINGS "${dir}/first/scenario.yaml" y REGEX "^  (seed: 4242|replications: 7)$")
  list(LENGTH y ny)
  if(NOT ny EQUAL 2)
    message(FATAL_ERROR "reproduce: ${scenario}: scenario.yaml does not carry --seed 4242 and --reps 7: ${y}")
  endif()
  math(EXPR i "${i} + 1")
endforeach()
message(STATUS "reproduce: ok (${i} scenarios)")
