/* yaml_doc.h -- what the two YAML readers (scenario.c, manifest.c) share: a libyaml document
 * walked with a field path, and the first error recorded in the caller's cs_diag.
 *
 * The readers differ in their schemas and in how they treat unknown fields, so each keeps its
 * own walk; what is generic about reading a document (node access, the words a message uses
 * for what was found, file:line:col of the first error, string tables and "did you mean")
 * lives here once, so the two cannot drift apart in how they report. Private to sim/.
 *
 * Ownership: a yd_doc borrows its file name, document and cs_diag from the reader that
 * embeds it; nothing here allocates except yd_names_put() and yd_read_string(), in the arena
 * they are given.
 */
#ifndef CS_SIM_YAML_DOC_H
#define CS_SIM_YAML_DOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "clustersim/arena.h"
#include "clustersim/common.h"
#include "clustersim/config.h"

#if defined(__GNUC__)
#define YD_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define YD_PRINTF_LIKE(f, a)
#endif

enum {
    YD_SHOWN_BYTES = 40,          /* of a found value, in messages */
    YD_SUGGEST_MAX_LEN = 64,      /* longer words get no "did you mean" */
};

/* One document being read. */
typedef struct yd_doc {
    const char *file;             /* borrowed, for messages */
    yaml_document_t *doc;         /* borrowed */
    cs_diag *diag;                /* the caller's: the first error goes here */
    cs_status status;             /* the first failure; CS_OK while there is none */
    const char *obj;              /* put before the path in messages ("deployment/web"); NULL or "" for none */
    bool named_escapes;           /* found values show \n and \t rather than \x0A and \x09 */
    char path[512];               /* spec.cluster.nodePools[0].allocatable.cpu */
    size_t path_len;
} yd_doc;

/* What a message says was found: a quoted scalar (escaped, cut after YD_SHOWN_BYTES on a
 * character boundary), "a mapping", "a sequence" or "nothing". */
typedef struct yd_found {
    char s[4 * YD_SHOWN_BYTES + 16];
} yd_found;

/* A string -> id map with open addressing, in a scratch arena. Only for lookups: nothing
 * ever iterates it, so its order cannot reach a result. Zero-initialised is empty. */
typedef struct yd_names {
    const char **keys;
    uint32_t *ids;
    uint32_t cap, n;
} yd_names;

/* Copies src into dst, cut to fit and always terminated. */
void yd_copy_str(char *dst, size_t size, const char *src);

/* v as an int, saturated at INT_MAX (for cs_diag's line and col). */
int yd_to_int(size_t v);

/* ---- errors ---- */

/* Writes where a message is, "deployment/web: spec.replicas" (obj, then the path), or either
 * part alone, into buf. */
void yd_where(const yd_doc *yd, char *buf, size_t size);

/* Records the first error at a 1-based place of file, with the field path; later calls keep
 * the first. Returns the recorded status (CS_EINPUT for the first). */
cs_status yd_fail_v(yd_doc *yd, const char *file, size_t line, size_t col, const char *fmt, va_list ap);
/* Fails at a node's start (1 based), or at 1:1 when there is no node. */
YD_PRINTF_LIKE(3, 4)
cs_status yd_fail_at(yd_doc *yd, const yaml_node_t *n, const char *fmt, ...);
/* Fails at a 1-based place of any file (the document's or one it names). */
YD_PRINTF_LIKE(5, 6)
cs_status yd_fail_in(yd_doc *yd, const char *file, size_t line, size_t col, const char *fmt, ...);
/* Adds the "note:" line to the error just recorded. */
YD_PRINTF_LIKE(2, 3)
void yd_hint(yd_doc *yd, const char *fmt, ...);
/* Records "out of memory" unless an error is recorded already. Returns CS_ENOMEM. */
cs_status yd_oom(yd_doc *yd);
/* Fails with "expected <what>, found <n>". */
cs_status yd_fail_expected(yd_doc *yd, const yaml_node_t *n, const char *what);
/* CS_OK when n is a node of that type, else fails as yd_fail_expected(). */
cs_status yd_need_type(yd_doc *yd, const yaml_node_t *n, yaml_node_type_t type, const char *what);

/* ---- the field path ---- */

YD_PRINTF_LIKE(2, 3)
void yd_path_append(yd_doc *yd, const char *fmt, ...);
/* Extends the path by ".key" (or "key" at the top); returns what yd_path_pop() needs. */
size_t yd_path_key(yd_doc *yd, const char *key);
/* Extends the path by "[i]"; returns what yd_path_pop() needs. */
size_t yd_path_index(yd_doc *yd, size_t i);
void yd_path_pop(yd_doc *yd, size_t old);

/* ---- nodes ---- */

yaml_node_t *yd_node(const yd_doc *yd, int id);
size_t yd_n_pairs(const yaml_node_t *map);
size_t yd_n_items(const yaml_node_t *seq);
yaml_node_t *yd_key_at(const yd_doc *yd, const yaml_node_t *map, size_t i);
yaml_node_t *yd_value_at(const yd_doc *yd, const yaml_node_t *map, size_t i);
yaml_node_t *yd_item_at(const yd_doc *yd, const yaml_node_t *seq, size_t i);
/* The text of a scalar node; NULL for other nodes and for scalars holding a NUL byte
 * (a "\0" escape), which no field can take. */
const char *yd_text(const yaml_node_t *n);
/* A YAML null: absent, or a plain "", "~" or "null". */
bool yd_is_null(const yaml_node_t *n);
/* len bytes of s, quoted and escaped for a message. */
yd_found yd_quote(const char *s, size_t len, bool named_escapes);
/* What n is, for a message, escaped as yd->named_escapes says. */
yd_found yd_describe(const yd_doc *yd, const yaml_node_t *n);

/* A scalar copied into arena; a null reads as "", which only allow_empty accepts. Fails as
 * yd_fail_expected() or yd_oom(). */
cs_status yd_read_string(yd_doc *yd, cs_arena *arena, const yaml_node_t *n, const char *what, bool allow_empty,
                         const char **out);

/* An intstr.IntOrString: a whole number 0..max or a whole percentage "0%".."max_percent%"
 * (quoting does not matter; max_percent is 100 where the API checks IsNotMoreThan100Percent,
 * more for maxSurge). Fails with the expected forms. */
cs_status yd_read_int_or_percent(yd_doc *yd, const yaml_node_t *n, uint32_t max, uint32_t max_percent,
                                 cs_int_or_percent *out);

/* ---- names ---- */

/* The id of key, or CS_NONE. */
uint32_t yd_names_get(const yd_names *t, const char *key);
/* Adds a key not in the table yet (key must outlive the table). Returns false when out of memory. */
bool yd_names_put(cs_arena *tmp, yd_names *t, const char *key, uint32_t id);

/* The candidate closest to word when within max(2, len/3) edits; the first of equals in
 * the given (sorted) order. NULL when none is close. */
const char *yd_closest(const char *word, const char *const *cands, size_t n);
/* Joins names with ", ", ending in "..." when they do not all fit. */
void yd_join(char *buf, size_t size, const char *const *items, size_t n);
/* A qsort comparator for an array of C strings. */
int yd_by_name(const void *a, const void *b);

/* ---- Kubernetes name syntax, as apimachinery/pkg/util/validation/validation.go has it ---- */

/* IsDNS1123Subdomain on len bytes of s: at most 253, dot-separated [a-z0-9]([-a-z0-9]*[a-z0-9])?. */
bool yd_is_dns_subdomain(const char *s, size_t len);
/* IsQualifiedName (label keys): an optional DNS-1123 subdomain and '/', then at most 63 of
 * [-A-Za-z0-9_.] that start and end alphanumeric. */
bool yd_is_qualified_name(const char *s);
/* IsValidLabelValue: empty, or as the name part of a qualified name. */
bool yd_is_label_value(const char *s);

#endif
