# plot.cmake -- `clustersim run` draws the plots, `clustersim plot DIR` redraws them from the
# results folder alone, a missing gnuplot is a one-line note (exit 0), and a folder without a
# summary is bad input (exit 2).
#
# cmake -DCLUSTERSIM=<binary> -DSCENARIO=<scenario.yaml> -DWORK=<dir> [-DGNUPLOT=<path>] -P plot.cmake
#
# With GNUPLOT empty or not found, the drawing checks are skipped and the note is still tested.

foreach(var CLUSTERSIM SCENARIO WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "plot.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

set(images ready-web ready-api service-frontend pending nodes violations latency)

function(expect_images dir)
  foreach(stem ${images})
    foreach(fmt png svg)
      if(NOT EXISTS "${dir}/plots/${stem}.${fmt}")
        message(FATAL_ERROR "plot: ${dir}/plots/${stem}.${fmt} was not drawn")
      endif()
    endforeach()
    file(READ "${dir}/plots/${stem}.png" magic LIMIT 4 HEX)
    if(NOT magic STREQUAL "89504e47")
      message(FATAL_ERROR "plot: ${dir}/plots/${stem}.png is not a PNG (starts with ${magic})")
    endif()
    file(STRINGS "${dir}/plots/${stem}.svg" svg LIMIT_COUNT 3)
    string(FIND "${svg}" "<svg" at)
    if(at LESS 0)
      message(FATAL_ERROR "plot: ${dir}/plots/${stem}.svg is not an SVG: ${svg}")
    endif()
  endforeach()
endfunction()

# The run exits 1 (its properties fail), and with gnuplot draws every plot.
execute_process(COMMAND "${CLUSTERSIM}" run "${SCENARIO}" --out "${WORK}/run"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "1")
  message(FATAL_ERROR "plot: run exited '${rc}', expected 1\n${out}\n${err}")
endif()
if(NOT EXISTS "${WORK}/run/plots/plots.gp" OR NOT EXISTS "${WORK}/run/plots/latency.dat")
  message(FATAL_ERROR "plot: run wrote no plots/plots.gp or plots/latency.dat")
endif()
if(GNUPLOT)
  expect_images("${WORK}/run")
  string(FIND "${out}" "plots: ${WORK}/run/plots" at)
  if(at LESS 0)
    message(FATAL_ERROR "plot: run did not say where the plots went:\n${out}")
  endif()
  # Redrawn from the folder alone, after the images are gone.
  file(GLOB old "${WORK}/run/plots/*.png" "${WORK}/run/plots/*.svg")
  file(REMOVE ${old})
  execute_process(COMMAND "${CLUSTERSIM}" plot "${WORK}/run" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0" OR NOT err STREQUAL "")
    message(FATAL_ERROR "plot: clustersim plot exited '${rc}' (expected 0, nothing on stderr)\n${out}\n${err}")
  endif()
  expect_images("${WORK}/run")
  # A results folder from elsewhere cannot run commands through the script: names are
  # scrubbed before they reach a gnuplot string.
  file(COPY "${WORK}/run/" DESTINATION "${WORK}/evil")
  file(READ "${WORK}/evil/summary.json" json)
  string(REPLACE "\"name\": \"plots\"" "\"name\": \"x\\\"; system(\\\"touch ${WORK}/pwned\\\"); print \\\"\"" json "${json}")
  string(FIND "${json}" "system(" at)
  if(at LESS 0)
    message(FATAL_ERROR "plot: the test could not plant its name in summary.json")
  endif()
  file(WRITE "${WORK}/evil/summary.json" "${json}")
  execute_process(COMMAND "${CLUSTERSIM}" plot "${WORK}/evil" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(EXISTS "${WORK}/pwned" OR NOT rc STREQUAL "0")
    message(FATAL_ERROR "plot: a scenario name in summary.json ran a command through gnuplot (exit '${rc}')\n${err}")
  endif()
else()
  message(STATUS "plot: gnuplot not found at configure time; drawing not checked")
endif()

# Without gnuplot on PATH: the script is written, one note line, exit 0.
file(REMOVE "${WORK}/run/plots/plots.gp")
execute_process(COMMAND ${CMAKE_COMMAND} -E env "PATH=${WORK}/empty-path" "${CLUSTERSIM}" plot "${WORK}/run"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(note "note: gnuplot is not on PATH, so no plots were drawn; ${WORK}/run/plots/plots.gp is ready for it (then: clustersim plot ${WORK}/run)\n")
if(NOT rc STREQUAL "0" OR NOT err STREQUAL note OR NOT EXISTS "${WORK}/run/plots/plots.gp")
  message(FATAL_ERROR "plot: without gnuplot expected exit 0, plots.gp and the note\n'${note}'\n"
                      "found exit '${rc}', stderr:\n'${err}'")
endif()

# A folder without summary.json is bad input.
file(MAKE_DIRECTORY "${WORK}/not-results")
execute_process(COMMAND "${CLUSTERSIM}" plot "${WORK}/not-results" RESULT_VARIABLE rc ERROR_VARIABLE err)
set(want "${WORK}/not-results/summary.json: error: no summary.json here: not a results folder")
string(FIND "${err}" "${want}" at)
if(NOT rc STREQUAL "2" OR NOT at EQUAL 0)
  message(FATAL_ERROR "plot: a folder without summary.json: expected exit 2 and '${want}', found '${rc}':\n${err}")
endif()
message(STATUS "plot: ok")
