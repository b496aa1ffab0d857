# compare.cmake -- `clustersim compare` end to end on small hand-written summaries: a
# regression is found (exit 1) and named, a change within the noise passes (exit 0), an
# improvement passes, and bad input exits 2 with a message that says what is wrong and where.
#
# cmake -DCLUSTERSIM=<binary> -DWORK=<scratch dir> -DLEAST=<policy-least.yaml>
#       -DMOST=<policy-most.yaml> -P compare.cmake
#
# Then pairing on replications.csv: a shift far smaller than the spread between replications
# is seen by the paired t-test and missed by Welch's; without the file the tests are unpaired;
# a file that does not parse is an error at its line and column.
#
# Last, the worked example of docs/compare.md: MostAllocated against LeastAllocated on the same
# failures is a regression of both properties, paired.

file(REMOVE_RECURSE "${WORK}")

# Writes WORK/<dir>/summary.json with pods.pending_mean = pending (sd 0.5, n 50),
# workload.web.ready_mean = ready (sd 0.2, n 50), and a property held `held` times of 50.
function(summary dir pending ready held)
  file(WRITE "${WORK}/${dir}/summary.json" "{
  \"schemaVersion\": 2,
  \"seed\": 18446744073709551615,
  \"replications\": 50,
  \"metrics\": {
    \"pods.pending_mean\": {\"mean\": ${pending}, \"sd\": 0.5, \"n\": 50},
    \"workload.web.ready_mean\": {\"mean\": ${ready}, \"sd\": 0.2, \"n\": 50},
    \"nodes.failures\": {\"mean\": 3, \"sd\": 1, \"n\": 50}
  },
  \"properties\": [{\"name\": \"web-ready\", \"held\": ${held}, \"replications\": 50}]
}
")
endfunction()

# The t statistics (the standard error of a difference is sqrt(0.25/50 * 2) = 0.1 for pending,
# 0.04 for ready): pending 1.0 -> 1.5 is t = 5 (p about 2.5e-6), 1.0 -> 1.05 is 0.5
# (p 0.618), 1.0 -> 1.24 is 2.4 (p 0.018: significant alone, not once Holm multiplies it by
# the 4 tests of the table); ready 6.0 -> 6.2 is 5 (better: up is good).
summary(base 1.0 6.0 48)
summary(worse 1.5 6.0 48)
summary(noise 1.05 6.0 47)
summary(marginal 1.24 6.0 48)
summary(better 1.0 6.2 50)
summary(fewer 1.0 6.0 30)
file(WRITE "${WORK}/broken/summary.json" "{\n  \"metrics\": {\n    \"a\": [1, 2,,]\n}\n")
file(WRITE "${WORK}/other/summary.json" "{\"hello\": 1}\n")
file(MAKE_DIRECTORY "${WORK}/empty")

# Writes WORK/<dir>/summary.json and replications.csv for 50 replications in which
# pods.pending_mean is r/10 (0 to 4.9: mean 2.45, sd 1.458) plus, in the shifted run,
# 0.05 +- 0.01 (mean 2.5): each replication moves by about 0.05, against a spread of 1.458.
# Welch: t = 0.05 / sqrt(2 * 1.458^2 / 50) = 0.17, p 0.86. Paired: the differences are
# 0.04 and 0.06 alternately (mean 0.05, sd 0.0101), t = 35, p below 1e-30. web-ready held in
# every replication of the base, and in the shifted run failed in replications 0 to 9 (McNemar:
# 10 against 0, p = 2 / 2^10).
function(paired_run dir shifted)
  set(rows "replication,pods.pending_mean,nodes.failures,property.web-ready.held\n")
  set(held 50)
  foreach(r RANGE 49)
    math(EXPR milli "100 * ${r}")
    set(h 1)
    if(shifted)
      math(EXPR odd "${r} % 2")
      math(EXPR milli "${milli} + 40 + 20 * ${odd}")
      if(r LESS 10)
        set(h 0)
      endif()
    endif()
    string(APPEND rows "${r},${milli}e-3,3,${h}\n")
  endforeach()
  if(shifted)
    set(mean 2.5)
    set(held 40)
  else()
    set(mean 2.45)
  endif()
  file(WRITE "${WORK}/${dir}/replications.csv" "${rows}")
  file(WRITE "${WORK}/${dir}/summary.json" "{
  \"schemaVersion\": 2,
  \"seed\": 7,
  \"replications\": 50,
  \"metrics\": {
    \"pods.pending_mean\": {\"mean\": ${mean}, \"sd\": 1.458, \"n\": 50},
    \"nodes.failures\": {\"mean\": 3, \"sd\": 0, \"n\": 50}
  },
  \"properties\": [{\"name\": \"web-ready\", \"held\": ${held}, \"replications\": 50}]
}
")
endfunction()
paired_run(pbase FALSE)
paired_run(pshift TRUE)
file(COPY "${WORK}/pshift/summary.json" DESTINATION "${WORK}/pshift-alone")
file(COPY "${WORK}/pshift/" DESTINATION "${WORK}/pbroken")
file(READ "${WORK}/pbroken/replications.csv" csv)
string(REPLACE "\n2,240e-3," "\n2,two," csv "${csv}")
file(WRITE "${WORK}/pbroken/replications.csv" "${csv}")
file(COPY "${WORK}/pshift/" DESTINATION "${WORK}/pwide")
file(COPY "${WORK}/pshift/" DESTINATION "${WORK}/pnarrow")
file(READ "${WORK}/pshift/replications.csv" csv)
string(REPLACE "\n3,360e-3,3,0\n" "\n3,360e-3,3,0,9\n" wide "${csv}")
string(REPLACE "\n3,360e-3,3,0\n" "\n3,360e-3,3\n" narrow "${csv}")
file(WRITE "${WORK}/pwide/replications.csv" "${wide}")
file(WRITE "${WORK}/pnarrow/replications.csv" "${narrow}")

function(expect want label)
  execute_process(COMMAND "${CLUSTERSIM}" compare ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc STREQUAL "${want}")
    message(FATAL_ERROR "compare: ${label}: clustersim compare ${ARGN} exited '${rc}', expected ${want}\n"
                        "stdout:\n${o}\nstderr:\n${e}")
  endif()
  set(out "${o}" PARENT_SCOPE)
  set(err "${e}" PARENT_SCOPE)
endfunction()

function(expect_match text regex label)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "compare: ${label}: expected to match '${regex}' in:\n${text}")
  endif()
endfunction()

expect(1 "regression" "${WORK}/base" "${WORK}/worse")
expect_match("${out}" "\n  pods\\.pending_mean +1 +1\\.5 +\\+50% +welch +2\\.[0-9]+e-06 +1\\.[0-9]+e-05 +WORSE \\(up is bad\\)\n" "regression")
expect_match("${out}" "REGRESSION: 1 of 4 metrics significantly worse at alpha 0\\.05 \\(Holm-adjusted over 4 tests\\): pods\\.pending_mean\n" "regression")
expect_match("${out}" "seed 18446744073709551615\\)" "the whole 64-bit seed")

expect(0 "noise" "${WORK}/base" "${WORK}/noise")
expect_match("${out}" "pods\\.pending_mean +1 +1\\.05 +\\+5% +welch +0\\.618 +1 +-\n" "noise")
expect_match("${out}" "OK: 0 of 4 metrics significantly worse" "noise")

# A change that is significant on its own but not among four: Holm lets it pass, and
# --per-metric, which tests each row alone, does not.
expect(0 "marginal, Holm" "${WORK}/base" "${WORK}/marginal")
expect_match("${out}" "pods\\.pending_mean +1 +1\\.24 [^\n]* welch +0\\.018[0-9]* +0\\.07[0-9]* +-\n" "marginal, Holm")
expect(1 "marginal, --per-metric" "${WORK}/base" "${WORK}/marginal" --per-metric)
expect_match("${out}" "REGRESSION: 1 of 4 metrics significantly worse at alpha 0\\.05 \\(each test on its own\\)" "marginal, --per-metric")

expect(0 "improvement" "${WORK}/base" "${WORK}/better")
expect_match("${out}" "workload\\.web\\.ready_mean [^\n]* better\n" "improvement")

# 48 of 50 to 30 of 50: Fisher's exact test, down is bad.
expect(1 "property" "${WORK}/base" "${WORK}/fewer")
expect_match("${out}" "property\\.web-ready\\.probability +0\\.96 +0\\.6 [^\n]* fisher [^\n]* WORSE \\(down is bad\\)" "property")
# ... unless the regression is outside the metrics asked for, or alpha is tiny.
expect(0 "--metric" "${WORK}/base" "${WORK}/fewer" --metric "pods.*" --metric "workload.*")
expect(0 "--alpha" "${WORK}/base" "${WORK}/worse" --alpha 1e-9)

# Bad input: exit 2, and the message says where.
expect(2 "missing folder" "${WORK}/base" "${WORK}/nope")
expect_match("${err}" "nope: error: expected a results folder holding summary.json \\(No such file or directory\\)" "missing folder")
expect(2 "folder without summary" "${WORK}/empty" "${WORK}/base")
expect_match("${err}" "empty/summary.json: error: cannot read: No such file or directory" "folder without summary")
expect(2 "broken JSON" "${WORK}/base" "${WORK}/broken")
expect_match("${err}" "broken/summary.json:3:[0-9]+: error: not JSON: " "broken JSON")
expect(2 "not a summary" "${WORK}/other" "${WORK}/base")
expect_match("${err}" "other/summary.json: error: metrics: expected an object of metric summaries" "not a summary")
expect(2 "unknown metric" "${WORK}/base" "${WORK}/worse" --metric "pods.pendng*")
expect_match("${err}" "--metric: 'pods.pendng\\*' matches no metric" "unknown metric")
expect(2 "bad alpha" "${WORK}/base" "${WORK}/worse" --alpha 2)
expect(2 "one folder" "${WORK}/base")
expect(1 "paired" "${WORK}/pbase" "${WORK}/pshift")
expect_match("${out}" "\npaired: replication r of each run drew the same failures" "paired")
expect_match("${out}" "\n  pods\\.pending_mean +2\\.45 +2\\.5 +\\+2\\.04% +paired +[0-9.]+e-[3-9][0-9] [^\n]* WORSE \\(up is bad\\)\n" "paired")
expect_match("${out}" "\n  nodes\\.failures +3 +3 +\\+0% +paired +1 +1 +-\n" "paired")
expect_match("${out}" "\n  property\\.web-ready\\.probability +1 +0\\.8 +-20% +mcnemar +0\\.00195 " "paired")
expect(0 "unpaired" "${WORK}/pbase" "${WORK}/pshift-alone" --metric "pods.*")
expect_match("${out}" "\nunpaired: a folder has no replications\\.csv" "unpaired")
expect_match("${out}" "\n  pods\\.pending_mean +2\\.45 +2\\.5 +\\+2\\.04% +welch +0\\.86[0-9]* " "unpaired")
expect(2 "broken replications.csv" "${WORK}/pbase" "${WORK}/pbroken")
expect_match("${err}" "pbroken/replications\\.csv:4:3: error: pods\\.pending_mean: expected a number, found 'two'" "broken replications.csv")
expect(2 "a row too wide" "${WORK}/pbase" "${WORK}/pwide")
expect_match("${err}" "pwide/replications\\.csv:5:13: error: property\\.web-ready\\.held: expected the line to end, found another column" "a row too wide")
expect(2 "a row too narrow" "${WORK}/pbase" "${WORK}/pnarrow")
expect_match("${err}" "pnarrow/replications\\.csv:5:11: error: property\\.web-ready\\.held: expected this column, found the line's end" "a row too narrow")

# A property's name may be any string: one with a comma and quotes is quoted in the header of
# replications.csv and read back, so two runs of it still pair.
file(WRITE "${WORK}/odd.yaml" "apiVersion: clustersim.io/v1alpha1
kind: Scenario
metadata: {name: odd}
spec:
  duration: 1h
  replications: 5
  cluster:
    nodePools: [{name: p, count: 2, allocatable: {cpu: '4', memory: 8Gi}}]
  workloads:
    - {name: web, replicas: 2, resources: {requests: {cpu: '1', memory: 1Gi}}}
  properties:
    - {name: 'web up, \"two\"', type: availability, workload: web, minReady: 2}
")
foreach(run odd1 odd2)
  execute_process(COMMAND "${CLUSTERSIM}" run "${WORK}/odd.yaml" --quiet --no-plots --out "${WORK}/${run}" RESULT_VARIABLE rc)
  if(NOT rc MATCHES "^[01]$")
    message(FATAL_ERROR "compare: clustersim run odd.yaml exited ${rc}")
  endif()
endforeach()
file(STRINGS "${WORK}/odd1/replications.csv" head LIMIT_COUNT 1)
if(NOT head MATCHES ",\"property\\.web up, \"\"two\"\"\\.held\"$")
  message(FATAL_ERROR "compare: the odd property's name is not quoted in replications.csv: ${head}")
endif()
expect(0 "odd property name" "${WORK}/odd1" "${WORK}/odd2")
expect_match("${out}" "\npaired: " "odd property name")
expect_match("${out}" "property\\.web up, \"two\"\\.probability +1 +1 +\\+0% +mcnemar +1 +1 +-\n" "odd property name")

foreach(p LEAST MOST)
  execute_process(COMMAND "${CLUSTERSIM}" run "${${p}}" --quiet --no-plots --out "${WORK}/${p}" RESULT_VARIABLE rc)
  if(NOT rc MATCHES "^[01]$")
    message(FATAL_ERROR "compare: clustersim run ${${p}} exited ${rc}")
  endif()
endforeach()
expect(1 "policy example" "${WORK}/LEAST" "${WORK}/MOST")
# Common random numbers: the same failures, so the same mean to the last digit, and p = 1.
if(NOT out MATCHES "\n  nodes\\.failures +([0-9.]+) +([0-9.]+) +\\+0% +paired +1 +1 +-\n" OR
   NOT CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_2)
  message(FATAL_ERROR "compare: policy example: nodes.failures should be equal in both runs:\n${out}")
endif()
foreach(prop web-six-ready api-three-ready)
  expect_match("${out}" "property\\.${prop}\\.probability +1 [^\n]* mcnemar [^\n]* WORSE \\(down is bad\\)" "policy example")
endforeach()
message(STATUS "compare: ok")
