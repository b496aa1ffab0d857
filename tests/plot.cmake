# plot.cmake -- `clustersim run` draws the plots, `clustersim plot DIR` redraws them from the
# results folder alone, a missing gnuplot is a one-line note (exit 0), a failing gnuplot puts no
# image in place and leaves no temporary file, and a folder without a summary is bad input
# (exit 2).
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

# gnuplot draws to temporary names that are renamed into place: none may be left behind.
function(expect_no_temporaries dir)
  file(GLOB left "${dir}/plots/*.tmp.*")
  if(left)
    message(FATAL_ERROR "plot: temporary files left in ${dir}/plots: ${left}")
  endif()
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
# A threshold line for each minReady above 0, none for api-spread (minReady 0, minNodes 2).
file(READ "${WORK}/run/plots/plots.gp" gp)
if(NOT gp MATCHES "title \"api-one: minReady 1\"" OR NOT gp MATCHES "title \"web-two-thirds: minReady 66% of desired\"" OR
   gp MATCHES "api-spread: minReady")
  message(FATAL_ERROR "plot: plots.gp should draw the minReady lines of api-one and web-two-thirds, not api-spread's")
endif()
if(GNUPLOT)
  expect_images("${WORK}/run")
  expect_no_temporaries("${WORK}/run")
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
  expect_no_temporaries("${WORK}/run")
  # Run by hand, the script draws under the images' own names.
  file(GLOB old "${WORK}/run/plots/*.png" "${WORK}/run/plots/*.svg")
  file(REMOVE ${old})
  execute_process(COMMAND "${GNUPLOT}" plots.gp WORKING_DIRECTORY "${WORK}/run/plots" RESULT_VARIABLE rc
                  ERROR_VARIABLE err)
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "plot: gnuplot plots.gp, run by hand, exited '${rc}'\n${err}")
  endif()
  expect_images("${WORK}/run")
  expect_no_temporaries("${WORK}/run")
  # A gnuplot that fails (exit 1) or dies (killed by a signal) once it has drawn every image:
  # not one image is put in place, those of the earlier draw are gone (they would not match a
  # new run), no temporary file is left, plots.gp stays, and `clustersim plot` exits 3 with
  # the note.
  foreach(how fails dies)
    set(end_of_gnuplot "exit 1")
    if(how STREQUAL "dies")
      set(end_of_gnuplot "kill -KILL $$")
    endif()
    file(COPY "${WORK}/run/" DESTINATION "${WORK}/${how}")
    file(WRITE "${WORK}/gnuplot-${how}/gnuplot" "#!/bin/sh\n\"${GNUPLOT}\" \"$@\"\n${end_of_gnuplot}\n")
    file(CHMOD "${WORK}/gnuplot-${how}/gnuplot" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env "PATH=${WORK}/gnuplot-${how}:$ENV{PATH}"
                            "${CLUSTERSIM}" plot "${WORK}/${how}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(note "note: gnuplot failed on ${WORK}/${how}/plots/plots.gp, so no plots were drawn\n")
    if(NOT rc STREQUAL "3" OR NOT err STREQUAL note)
      message(FATAL_ERROR "plot: a gnuplot that ${how}: expected exit 3 and the note\n'${note}'\n"
                          "found exit '${rc}', stderr:\n'${err}'")
    endif()
    file(GLOB drawn "${WORK}/${how}/plots/*.png" "${WORK}/${how}/plots/*.svg")
    if(drawn)
      message(FATAL_ERROR "plot: a gnuplot that ${how} left images in place: ${drawn}")
    endif()
    expect_no_temporaries("${WORK}/${how}")
    if(NOT EXISTS "${WORK}/${how}/plots/plots.gp")
      message(FATAL_ERROR "plot: a gnuplot that ${how} took plots.gp with it")
    endif()
  endforeach()
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
