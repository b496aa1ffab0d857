/* quantity.h -- Kubernetes resource quantities and Go durations, read exactly as the
 * API server and kubectl read them, into integers.
 *
 * Quantities follow k8s.io/apimachinery/pkg/api/resource (quantity.go ParseQuantity):
 * an optional sign, digits with an optional decimal point, then one suffix: binary SI
 * (Ki Mi Gi Ti Pi Ei), decimal SI (n u m "" k M G T P E) or a decimal exponent (e3, E-2).
 * Values are then read as Quantity.MilliValue() (CPU) or Quantity.Value() (bytes, pods):
 * both round away from zero to the next integer unit (up, for the positive values resources
 * take), as upstream's math.go does.
 *
 * Durations follow Go's time.ParseDuration: a sequence of decimal numbers, each with a
 * unit (ns us µs ms s m h), such as "300ms", "1.5h" or "2h45m"; "0" alone is allowed.
 */
#ifndef CLUSTERSIM_QUANTITY_H
#define CLUSTERSIM_QUANTITY_H

#include "clustersim/common.h"

/* Parses a quantity and returns its value in thousandths ("250m" -> 250, "2" -> 2000,
 * "1Ki" -> 1024000), rounded up. Returns false (out untouched) when s is not a quantity
 * or the value does not fit in int64; *why (if not NULL) then points to a static reason. */
bool cs_parse_quantity_milli(const char *s, int64_t *out, const char **why);
/* Parses a quantity and returns its value in whole units ("512Mi" -> 536870912,
 * "1.5" -> 2), rounded up. Fails as cs_parse_quantity_milli(). */
bool cs_parse_quantity_value(const char *s, int64_t *out, const char **why);
/* Parses a Go duration into nanoseconds. Fails (out untouched) on bad syntax, unknown
 * units or overflow, with a static reason in *why. Negative durations parse, as in Go;
 * callers that need >= 0 check. A magnitude beyond int64 nanoseconds (2562047h47m16.854775807s,
 * about 292 years) sets *why to cs_duration_why_range itself, so callers can tell that
 * failure from bad syntax by comparing the pointer. */
bool cs_parse_duration(const char *s, cs_time *out, const char **why);
extern const char cs_duration_why_range[];
/* Formats a duration as Go's Duration.String() does ("1h30m0s", "500ms", "0s").
 * Returns buf. */
char *cs_format_duration(cs_time d, char *buf, size_t size);

#endif
