/* yaml_doc.c -- the generic half of reading a YAML document (yaml_doc.h): node access, the
 * words for what was found, the field path and the first error, string tables and
 * suggestions. scenario.c and manifest.c each walk their own schema on top of it.
 */
#include "yaml_doc.h"

#include <inttypes.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

void yd_copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int yd_to_int(size_t v)
{
    return v >= INT_MAX ? INT_MAX : (int)v;
}

/* ---- errors ----------------------------------------------------------------------------- */

/* A path longer than buf is cut: the place (file:line:col) of a message stays exact. */
void yd_where(const yd_doc *yd, char *buf, size_t size)
{
    const char *obj = yd->obj != NULL ? yd->obj : "";
    int n = snprintf(buf, size, "%s%s", obj, obj[0] != '\0' && yd->path_len > 0 ? ": " : "");
    if (n >= 0 && (size_t)n < size) {
        size_t room = size - (size_t)n - 1, len = strlen(yd->path);
        memcpy(buf + n, yd->path, len < room ? len : room);
        buf[(size_t)n + (len < room ? len : room)] = '\0';
    }
}

cs_status yd_fail_v(yd_doc *yd, const char *file, size_t line, size_t col, const char *fmt, va_list ap)
{
    if (yd->status != CS_OK)
        return yd->status;
    yd->status = CS_EINPUT;
    cs_diag *d = yd->diag;
    memset(d, 0, sizeof *d);
    yd_copy_str(d->file, sizeof d->file, file);
    d->line = yd_to_int(line);
    d->col = yd_to_int(col);
    yd_where(yd, d->path, sizeof d->path);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    return CS_EINPUT;
}

cs_status yd_fail_at(yd_doc *yd, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t line = n != NULL ? n->start_mark.line + 1 : 1, col = n != NULL ? n->start_mark.column + 1 : 1;
    cs_status st = yd_fail_v(yd, yd->file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

cs_status yd_fail_in(yd_doc *yd, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cs_status st = yd_fail_v(yd, file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

void yd_hint(yd_doc *yd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(yd->diag->hint, sizeof yd->diag->hint, fmt, ap);
    va_end(ap);
}

cs_status yd_oom(yd_doc *yd)
{
    if (yd->status == CS_OK) {
        yd->status = CS_ENOMEM;
        memset(yd->diag, 0, sizeof *yd->diag);
        yd_copy_str(yd->diag->file, sizeof yd->diag->file, yd->file != NULL ? yd->file : "");
        yd_copy_str(yd->diag->msg, sizeof yd->diag->msg, "out of memory");
    }
    return CS_ENOMEM;
}

cs_status yd_fail_expected(yd_doc *yd, const yaml_node_t *n, const char *what)
{
    return yd_fail_at(yd, n, "expected %s, found %s", what, yd_describe(yd, n).s);
}

cs_status yd_need_type(yd_doc *yd, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    if (n != NULL && n->type == type)
        return CS_OK;
    return yd_fail_expected(yd, n, what);
}

/* ---- the field path --------------------------------------------------------------------- */

void yd_path_append(yd_doc *yd, const char *fmt, ...)
{
    size_t room = sizeof yd->path - yd->path_len;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(yd->path + yd->path_len, room, fmt, ap);
    va_end(ap);
    if (k < 0)
        yd->path[yd->path_len] = '\0';
    else
        yd->path_len += (size_t)k < room ? (size_t)k : room - 1;
}

size_t yd_path_key(yd_doc *yd, const char *key)
{
    size_t old = yd->path_len;
    yd_path_append(yd, old == 0 ? "%s" : ".%s", key);
    return old;
}

size_t yd_path_index(yd_doc *yd, size_t i)
{
    size_t old = yd->path_len;
    yd_path_append(yd, "[%zu]", i);
    return old;
}

void yd_path_pop(yd_doc *yd, size_t old)
{
    yd->path_len = old;
    yd->path[old] = '\0';
}

/* ---- nodes ------------------------------------------------------------------------------ */

yaml_node_t *yd_node(const yd_doc *yd, int id)
{
    return yaml_document_get_node(yd->doc, id);
}

size_t yd_n_pairs(const yaml_node_t *map)
{
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

size_t yd_n_items(const yaml_node_t *seq)
{
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *yd_key_at(const yd_doc *yd, const yaml_node_t *map, size_t i)
{
    return yd_node(yd, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *yd_value_at(const yd_doc *yd, const yaml_node_t *map, size_t i)
{
    return yd_node(yd, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *yd_item_at(const yd_doc *yd, const yaml_node_t *seq, size_t i)
{
    return yd_node(yd, seq->data.sequence.items.start[i]);
}

const char *yd_text(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE || n->data.scalar.value == NULL)
        return NULL;
    const char *s = (const char *)n->data.scalar.value;
    return memchr(s, '\0', n->data.scalar.length) == NULL ? s : NULL;
}

bool yd_is_null(const yaml_node_t *n)
{
    if (n == NULL)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = yd_text(n);
    return s != NULL && (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
                         strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

yd_found yd_quote(const char *s, size_t len, bool named_escapes)
{
    yd_found f;
    size_t cut = len, o = 0;
    if (cut > YD_SHOWN_BYTES) {
        cut = YD_SHOWN_BYTES;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    f.s[o++] = '"';
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            f.s[o++] = '\\';
            f.s[o++] = (char)c;
        } else if (named_escapes && (c == '\n' || c == '\t')) {
            f.s[o++] = '\\';
            f.s[o++] = c == '\n' ? 'n' : 't';
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(f.s + o, sizeof f.s - o, "\\x%02X", c);
        } else {
            f.s[o++] = (char)c;
        }
    }
    if (cut < len) {
        memcpy(f.s + o, "...", 3);
        o += 3;
    }
    f.s[o++] = '"';
    f.s[o] = '\0';
    return f;
}

yd_found yd_describe(const yd_doc *yd, const yaml_node_t *n)
{
    yd_found f;
    const char *what = NULL;
    if (yd_is_null(n))
        what = "nothing";
    else if (n->type == YAML_MAPPING_NODE)
        what = yd_n_pairs(n) == 0 ? "an empty mapping" : "a mapping";
    else if (n->type == YAML_SEQUENCE_NODE)
        what = yd_n_items(n) == 0 ? "an empty sequence" : "a sequence";
    else if (n->type != YAML_SCALAR_NODE || n->data.scalar.value == NULL)
        what = "nothing";
    if (what != NULL) {
        yd_copy_str(f.s, sizeof f.s, what);
        return f;
    }
    return yd_quote((const char *)n->data.scalar.value, n->data.scalar.length, yd->named_escapes);
}

cs_status yd_read_string(yd_doc *yd, cs_arena *arena, const yaml_node_t *n, const char *what, bool allow_empty,
                         const char **out)
{
    const char *s = yd_is_null(n) ? "" : yd_text(n);
    if (s == NULL || (s[0] == '\0' && !allow_empty))
        return yd_fail_expected(yd, n, what);
    char *copy = cs_arena_strdup(arena, s);
    if (copy == NULL)
        return yd_oom(yd);
    *out = copy;
    return CS_OK;
}

/* An intstr.IntOrString as the API validates one (ValidateNonnegativeIntOrPercent,
 * IsNotMoreThan100Percent where max_percent is 100): a whole number 0..max, or a whole
 * percentage 0%..max_percent%. */
cs_status yd_read_int_or_percent(yd_doc *yd, const yaml_node_t *n, uint32_t max, uint32_t max_percent,
                                 cs_int_or_percent *out)
{
    const char *s = yd_text(n);
    size_t len = s != NULL ? strlen(s) : 0;
    bool percent = len >= 2 && s[len - 1] == '%';
    size_t digits = percent ? len - 1 : len;
    uint64_t limit = percent ? max_percent : max, v = 0;
    bool ok = digits > 0;
    for (size_t i = 0; i < digits && ok; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = ok ? 10 * v + (uint64_t)(s[i] - '0') : v;
        ok = ok && v <= limit;
    }
    if (!ok && max_percent == 100)
        return yd_fail_at(yd, n, "expected an integer between 0 and %" PRIu32 " or a percentage between 0%% and 100%% "
                          "such as 25%%, found %s", max, yd_describe(yd, n).s);
    if (!ok)
        return yd_fail_at(yd, n, "expected an integer between 0 and %" PRIu32 " or a percentage such as 25%%, found %s",
                          max, yd_describe(yd, n).s);
    *out = (cs_int_or_percent){.value = (uint32_t)v, .percent = percent};
    return CS_OK;
}

/* ---- names ------------------------------------------------------------------------------ */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

uint32_t yd_names_get(const yd_names *t, const char *key)
{
    if (t->cap == 0 || key == NULL)
        return CS_NONE;
    for (uint32_t i = hash_str(key) & (t->cap - 1); t->keys[i] != NULL; i = (i + 1) & (t->cap - 1))
        if (strcmp(t->keys[i], key) == 0)
            return t->ids[i];
    return CS_NONE;
}

static void names_insert(const char **keys, uint32_t *ids, uint32_t cap, const char *key, uint32_t id)
{
    uint32_t i = hash_str(key) & (cap - 1);
    while (keys[i] != NULL)
        i = (i + 1) & (cap - 1);
    keys[i] = key;
    ids[i] = id;
}

bool yd_names_put(cs_arena *tmp, yd_names *t, const char *key, uint32_t id)
{
    if (2 * ((size_t)t->n + 1) > t->cap) {
        uint32_t cap = t->cap == 0 ? 16 : 2 * t->cap;
        const char **keys = cs_arena_calloc(tmp, cap, sizeof *keys);
        uint32_t *ids = cs_arena_calloc(tmp, cap, sizeof *ids);
        if (keys == NULL || ids == NULL)
            return false;
        for (uint32_t i = 0; i < t->cap; i++)
            if (t->keys[i] != NULL)
                names_insert(keys, ids, cap, t->keys[i], t->ids[i]);
        t->keys = keys;
        t->ids = ids;
        t->cap = cap;
    }
    names_insert(t->keys, t->ids, t->cap, key, id);
    t->n++;
    return true;
}

/* Levenshtein distance; both strings are at most YD_SUGGEST_MAX_LEN bytes. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[YD_SUGGEST_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *yd_closest(const char *word, const char *const *cands, size_t n)
{
    size_t lw = word != NULL ? strlen(word) : SIZE_MAX;
    if (lw > YD_SUGGEST_MAX_LEN)
        return NULL;
    size_t limit = lw / 3 > 2 ? lw / 3 : 2, best_d = SIZE_MAX;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lc = strlen(cands[i]);
        if (lc > YD_SUGGEST_MAX_LEN)
            continue;
        size_t d = edit_distance(word, lw, cands[i], lc);
        if (d <= limit && d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

void yd_join(char *buf, size_t size, const char *const *items, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(items[i]);
        if (o + len + 2 + 4 >= size) {
            yd_copy_str(buf + o, size - o, i > 0 ? ", ..." : "...");
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i > 0 ? ", " : "", items[i]);
    }
}

int yd_by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- Kubernetes name syntax (apimachinery/pkg/util/validation/validation.go) ---- */

static bool alnum_ascii(char c, bool upper)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z');
}

bool yd_is_dns_subdomain(const char *s, size_t len)
{
    if (len == 0 || len > 253)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (alnum_ascii(s[i], false))
            continue;
        /* '-' and '.' only inside a dot-separated label: [a-z0-9]([-a-z0-9]*[a-z0-9])? */
        bool inner = i > 0 && i + 1 < len && s[i - 1] != '.' && s[i + 1] != '.';
        if (!inner || (s[i] != '-' && s[i] != '.'))
            return false;
    }
    return true;
}

/* IsQualifiedName's name part: ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], at most 63 bytes. */
static bool qualified_part(const char *s, size_t len)
{
    if (len == 0 || len > 63)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!alnum_ascii(s[i], true) && (i == 0 || i + 1 == len || strchr("-_.", s[i]) == NULL))
            return false;
    return true;
}

bool yd_is_qualified_name(const char *s)
{
    const char *slash = strchr(s, '/');
    if (slash == NULL)
        return qualified_part(s, strlen(s));
    return strchr(slash + 1, '/') == NULL && yd_is_dns_subdomain(s, (size_t)(slash - s)) &&
           qualified_part(slash + 1, strlen(slash + 1));
}

bool yd_is_label_value(const char *s)
{
    return s[0] == '\0' || qualified_part(s, strlen(s));
}
