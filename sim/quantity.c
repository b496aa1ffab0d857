/* quantity.c -- Kubernetes quantities and Go durations, read into integers exactly as upstream
 * reads them.
 *
 * Quantities. The scanner is a transcription of k8s.io/apimachinery pkg/api/resource/quantity.go
 * parseQuantityString, so it accepts and rejects the same strings, odd ones included: the scanner
 * stops at the first non-digit and treats what it has read so far as the number, so "." "+" "-"
 * "1." ".5" "Ki" and "m" all parse (the numeric part of the last two is empty, hence zero).
 * Suffixes follow suffix.go interpret. Upstream keeps a parsed quantity as an int64 or an
 * inf.Dec; either way the stored number is exact (rounded away from zero to 1n when it is finer
 * than that), and Value()/MilliValue() round it up to a whole unit. We build neither form: we
 * keep the digits as a view into the input string, with a base-10 exponent and a power of two,
 * and compute floor(|x| * 10^k) and its inexactness in one pass over the digits. Only integer
 * arithmetic is used, so "0.1" is exactly one tenth and every input has one answer on every
 * machine.
 *
 * Like ParseQuantity, we reject surrounding whitespace (" 1", "1 "). The API server trims it
 * before parsing when it decodes JSON (quantity.go UnmarshalJSON), so a loader that wants that
 * leniency must trim, too.
 *
 * Where upstream is undefined we refuse: Value() and MilliValue() "silently overflow" (older
 * releases wrap, newer ones saturate), and here a result outside int64 is an error.
 *
 * Durations follow Go's src/time/format.go ParseDuration and time.go Duration.String. Go
 * computes the fractional part of each number in float64 (`v += uint64(float64(f) *
 * (float64(unit) / scale))`), so we do the same in double: exact arithmetic would differ from
 * Go by a nanosecond in rare cases. IEEE double with FLT_EVAL_METHOD == 0 (x86-64 SSE2, arm64)
 * and -ffp-contract=off give the same bits as Go.
 */
#include "clustersim/quantity.h"

#include <stdint.h>
#include <string.h>

#define U63 ((uint64_t)1 << 63) /* 2^63: |INT64_MIN|, the largest magnitude that can fit */

/* ---------------------------------------------------------------------------------------------
 * Quantities
 * ------------------------------------------------------------------------------------------- */

static const char WHY_EMPTY[] = "empty string";
static const char WHY_FORMAT[] =
    "not a quantity (expected a number with an optional sign, decimal point and suffix, such as 500m, 1.5Gi or 1e3)";
static const char WHY_SUFFIX[] =
    "unknown suffix (expected n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)";
static const char WHY_EXPONENT[] = "exponent out of range (it must fit in int32)";
static const char WHY_RANGE[] = "value does not fit in int64";

/* A scanned quantity: |x| = digits * 10^(exp10 - frac_len) * 2^exp2, where digits are the
 * int_len digits at int_digits followed by the frac_len digits at frac_digits (the ones after
 * the point). Both point into the caller's string. */
typedef struct quantity {
    bool negative;
    const char *int_digits, *frac_digits;
    size_t int_len, frac_len;
    int32_t exp10;  /* decimal SI suffix or exponent: "m" -> -3, "e6" -> 6 */
    int exp2;       /* binary SI suffix: "Ki" -> 10 ... "Ei" -> 60 */
} quantity;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

/* Reads an exponent as strconv.ParseInt(s, 10, 32) does: an optional sign and at least one
 * digit, nothing else, within int32. Returns 0 on success, 1 for bad syntax, 2 out of range. */
static int parse_exponent(const char *s, size_t len, int32_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == len)
        return 1;
    uint64_t mag = 0;
    bool too_big = false;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return 1;
        if (!too_big) {
            mag = mag * 10 + (uint64_t)(s[i] - '0');
            too_big = mag > (uint64_t)INT32_MAX + 1;  /* no wrap: mag stays below 2^33 */
        }
    }
    if (too_big || (!neg && mag > (uint64_t)INT32_MAX))
        return 2;
    *out = neg ? (int32_t)(-(int64_t)mag) : (int32_t)mag;
    return 0;
}

/* Interprets a suffix as suffix.go (suffixHandler.interpret): the decimal SI table, the binary
 * SI table, then "e" or "E" followed by an int32. A lone "E" is exa, never an exponent, and a
 * lone "e" is nothing. Returns NULL or the reason it is not a suffix. */
static const char *interpret_suffix(const char *s, size_t len, quantity *q)
{
    static const struct { const char *name; int32_t exp10; int exp2; } table[] = {
        {"", 0, 0},    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},  {"k", 3, 0},
        {"M", 6, 0},   {"G", 9, 0},   {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},
        {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, s, len) == 0) {
            q->exp10 = table[i].exp10;
            q->exp2 = table[i].exp2;
            return NULL;
        }
    }
    if (len > 1 && (s[0] == 'e' || s[0] == 'E')) {
        /* ParseInt with bitSize 32, as suffix_test.go TestDecimalExponentEdgeCases pins
         * ("E2147483648" fails). Some releases parse 64 bits and truncate to int32, so
         * "1e4294967297" reads as 1e1; quantity_overflow_test.go marks that for rejection. */
        switch (parse_exponent(s + 1, len - 1, &q->exp10)) {
        case 0:
            q->exp2 = 0;
            return NULL;
        case 2:
            return WHY_EXPONENT;
        default:
            return WHY_SUFFIX;
        }
    }
    return WHY_SUFFIX;
}

/* Splits s into sign, digits and suffix as quantity.go parseQuantityString, then
 * ParseQuantity, do. Returns NULL or the reason s is not a quantity. */
static const char *scan_quantity(const char *s, quantity *q)
{
    memset(q, 0, sizeof *q);
    q->int_digits = q->frac_digits = s;
    if (s[0] == '\0')
        return WHY_EMPTY;
    const char *p = s;
    if (*p == '-' || *p == '+')
        q->negative = *p++ == '-';
    /* Leading zeros go first. If nothing but zeros (or nothing at all) follows the sign, the
     * quantity is zero: upstream returns there, before it looks at a suffix. */
    while (*p == '0')
        p++;
    if (*p == '\0')
        return NULL;
    q->int_digits = p;
    q->int_len = digit_run(p);
    p += q->int_len;
    /* A point may have no digits on either side ("1.", ".5", even "."): upstream's TODO keeps
     * "1.G" legal, and quantity_test.go TestParseQuantityString expects "." to scan. */
    if (*p == '.') {
        p++;
        q->frac_digits = p;
        q->frac_len = digit_run(p);
        p += q->frac_len;
    }
    const char *suffix = p;
    while (*p != '\0' && strchr("eEinumkKMGTP", *p) != NULL)
        p++;
    if (*p == '+' || *p == '-')
        p++;
    p += digit_run(p);
    if (*p != '\0')
        return WHY_FORMAT;
    return interpret_suffix(suffix, (size_t)(p - suffix), q);
}

static int digit_at(const quantity *q, size_t i)
{
    return i < q->int_len ? q->int_digits[i] - '0' : q->frac_digits[i - q->int_len] - '0';
}

/* Computes floor(|x| * 10^k) into *floor_out and whether |x| * 10^k is not a whole number.
 * Returns false when the floor exceeds 2^63, which no int64 result can hold.
 *
 * The digits split at the point that 10^k moves to: those before it make the whole part W, those
 * after it the fraction F < 1, so floor(|x| * 10^k) = W * 2^e + floor(F * 2^e). F * 2^e is a
 * long multiplication run from the last digit up: the carry out of the top digit is its floor,
 * and any nonzero digit it leaves behind makes the value inexact. Each step fits in 64 bits
 * because the carry stays below 2^e <= 2^60. Linear in the number of digits; no allocation. */
static bool scaled_floor(const quantity *q, int k, uint64_t *floor_out, bool *inexact)
{
    const int64_t n = (int64_t)(q->int_len + q->frac_len);
    const int64_t point = n + (int64_t)q->exp10 - (int64_t)q->frac_len + k;  /* digits in W */
    const uint64_t two_e = (uint64_t)1 << q->exp2;

    uint64_t whole = 0;
    for (int64_t i = 0; i < n && i < point; i++) {
        uint64_t digit = (uint64_t)digit_at(q, (size_t)i);
        if (whole > U63 / 10 || whole * 10 + digit > U63)  /* no wrap: whole * 10 + 9 < 2^64 */
            return false;
        whole = whole * 10 + digit;
    }
    if (whole != 0) {
        for (int64_t zeros = point - n; zeros > 0; zeros--) {  /* "1e6" has no digits to read */
            if (whole > U63 / 10)
                return false;
            whole *= 10;
        }
        if (whole > (U63 >> q->exp2))
            return false;
        whole <<= q->exp2;
    }

    uint64_t carry = 0;
    bool lost = false;
    for (int64_t i = n - 1; i >= 0 && i >= point; i--) {
        uint64_t t = (uint64_t)digit_at(q, (size_t)i) * two_e + carry;
        lost |= t % 10 != 0;
        carry = t / 10;
    }
    /* Zeros between the point and the first digit ("1e-30") only divide the carry further. */
    for (int64_t zeros = point < 0 ? -point : 0; zeros > 0 && carry != 0; zeros--) {
        lost |= carry % 10 != 0;
        carry /= 10;
    }

    if (whole + carry > U63)  /* no wrap: whole <= 2^63 and carry < 2^60 */
        return false;
    *floor_out = whole + carry;
    *inexact = lost;
    return true;
}

/* Returns the quantity in units of 10^-k, rounded up in magnitude. That is ceil(x * 10^k) for
 * x >= 0; a negative x rounds away from zero, as math.go negativeScaleInt64 does for the int64
 * form that nearly every parsed quantity takes, and as the newer scale_int.go scaledValue does
 * for the inf.Dec form too. (The older scaledValue truncated a negative inf.Dec value and added
 * one, so "-0.3Ki" read -306 there and reads -308 here.) Resources are never negative, so this
 * matters only to callers that accept negative quantities. */
static bool quantity_scaled(const char *s, int k, int64_t *out, const char **why)
{
    quantity q;
    const char *bad = scan_quantity(s, &q);
    if (bad != NULL) {
        if (why != NULL)
            *why = bad;
        return false;
    }
    uint64_t mag = 0;
    bool inexact = false;
    bool fits = scaled_floor(&q, k, &mag, &inexact);
    /* ParseQuantity caps a binary SI amount, silently, at 2^63-1 units ("8Ei", "9Ei"); the cap
     * keeps the sign. It applies to the number before it is scaled, so "8Ei" reads as 2^63-1
     * bytes, and its milli value, which no int64 holds, is refused like any other overflow. */
    if (q.exp2 != 0) {
        uint64_t whole;
        bool frac;
        if (!scaled_floor(&q, 0, &whole, &frac) || whole > (uint64_t)INT64_MAX ||
            (whole == (uint64_t)INT64_MAX && frac)) {
            fits = k == 0;
            mag = (uint64_t)INT64_MAX;
            inexact = false;
        }
    }
    if (fits && inexact) {
        mag++;  /* at most 2^63 + 1: no wrap */
    }
    if (!fits || mag > (q.negative ? U63 : (uint64_t)INT64_MAX)) {
        if (why != NULL)
            *why = WHY_RANGE;
        return false;
    }
    if (mag == 0)
        *out = 0;
    else if (q.negative)
        *out = -(int64_t)(mag - 1) - 1;  /* reaches INT64_MIN without overflowing */
    else
        *out = (int64_t)mag;
    return true;
}

bool cs_parse_quantity_milli(const char *s, int64_t *out, const char **why)
{
    return quantity_scaled(s, 3, out, why);
}

bool cs_parse_quantity_value(const char *s, int64_t *out, const char **why)
{
    return quantity_scaled(s, 0, out, why);
}

/* ---------------------------------------------------------------------------------------------
 * Durations
 * ------------------------------------------------------------------------------------------- */

static const char WHY_DURATION[] =
    "not a duration (expected numbers with units, such as 300ms, 1.5h or 1h30m)";
static const char WHY_NO_UNIT[] = "missing unit (expected ns, us, µs, ms, s, m or h)";
static const char WHY_UNIT[] = "unknown unit (expected ns, us, µs, ms, s, m or h; a day is 24h)";
const char cs_duration_why_range[] =
    "out of range (int64 nanoseconds hold at most 2562047h47m16.854775807s, about 292 years)";

static bool duration_fail(const char **why, const char *reason)
{
    if (why != NULL)
        *why = reason;
    return false;
}

/* Returns the length of a unit in nanoseconds, or 0 when u is not one (format.go unitMap). */
static uint64_t unit_ns(const char *u, size_t len)
{
    static const struct { const char *name; uint64_t ns; } units[] = {
        {"ns", 1},
        {"us", 1000},
        {"\xC2\xB5s", 1000},  /* U+00B5 MICRO SIGN */
        {"\xCE\xBCs", 1000},  /* U+03BC GREEK SMALL LETTER MU */
        {"ms", 1000000},
        {"s", 1000000000},
        {"m", 60000000000},
        {"h", 3600000000000},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == len && memcmp(units[i].name, u, len) == 0)
            return units[i].ns;
    return 0;
}

/* Transcribes format.go ParseDuration, with leadingInt and leadingFraction inlined. Magnitudes
 * are accumulated in uint64 up to 2^63, so "-2562047h47m16.854775808s" (INT64_MIN) parses and
 * its positive twin does not. */
bool cs_parse_duration(const char *s, cs_time *out, const char **why)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (strcmp(p, "0") == 0) {  /* "0", "+0" and "-0" are the only numbers without a unit */
        *out = 0;
        return true;
    }
    if (*p == '\0')
        return duration_fail(why, s[0] == '\0' ? WHY_EMPTY : WHY_DURATION);

    uint64_t d = 0;
    while (*p != '\0') {
        if (!(*p == '.' || is_digit(*p)))
            return duration_fail(why, WHY_DURATION);

        const char *start = p;
        uint64_t v = 0;
        for (; is_digit(*p); p++) {
            if (v > U63 / 10)
                return duration_fail(why, cs_duration_why_range);
            v = v * 10 + (uint64_t)(*p - '0');
            if (v > U63)
                return duration_fail(why, cs_duration_why_range);
        }
        bool pre = p != start;

        /* The fraction stops gaining precision, without failing, once it would pass 2^63. */
        uint64_t f = 0;
        double scale = 1;
        bool post = false;
        if (*p == '.') {
            p++;
            start = p;
            bool overflow = false;
            for (; is_digit(*p); p++) {
                if (overflow)
                    continue;
                if (f > (U63 - 1) / 10) {
                    overflow = true;
                    continue;
                }
                uint64_t y = f * 10 + (uint64_t)(*p - '0');
                if (y > U63) {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10;
            }
            post = p != start;
        }
        if (!pre && !post)  /* ".s", "-.s" */
            return duration_fail(why, WHY_DURATION);

        /* The unit is everything up to the next digit or point, so "1h 30m" has the unit "h ". */
        start = p;
        while (*p != '\0' && *p != '.' && !is_digit(*p))
            p++;
        if (p == start)
            return duration_fail(why, WHY_NO_UNIT);
        uint64_t unit = unit_ns(start, (size_t)(p - start));
        if (unit == 0)
            return duration_fail(why, WHY_UNIT);

        if (v > U63 / unit)
            return duration_fail(why, cs_duration_why_range);
        v *= unit;
        if (f > 0) {
            /* As Go: float64 keeps fractions of hours nanosecond-accurate, and the product is
             * below the unit (<= 3.6e12), so the conversion back is in range. */
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > U63)
                return duration_fail(why, cs_duration_why_range);
        }
        d += v;  /* no wrap: both are at most 2^63 */
        if (d > U63)
            return duration_fail(why, cs_duration_why_range);
    }
    if (neg) {
        *out = d == 0 ? 0 : -(cs_time)(d - 1) - 1;
        return true;
    }
    if (d > (uint64_t)INT64_MAX)
        return duration_fail(why, cs_duration_why_range);
    *out = (cs_time)d;
    return true;
}

/* Writes the fraction v / 10^prec before *w, without trailing zeros, and without the point when
 * the fraction is zero. Returns v / 10^prec (time.go fmtFrac). */
static uint64_t fmt_frac(char *buf, size_t *w, uint64_t v, int prec)
{
    bool print = false;
    for (int i = 0; i < prec; i++) {
        unsigned digit = (unsigned)(v % 10);
        print = print || digit != 0;
        if (print)
            buf[--*w] = (char)('0' + digit);
        v /= 10;
    }
    if (print)
        buf[--*w] = '.';
    return v;
}

/* Writes v in decimal before *w (time.go fmtInt). */
static void fmt_int(char *buf, size_t *w, uint64_t v)
{
    do {
        buf[--*w] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
}

/* Transcribes time.go Duration.format: h, m and s down to a second, then the one unit that
 * keeps the leading digit nonzero (ms, µs written as U+00B5, ns). The output is truncated to
 * size - 1 bytes, as snprintf would, and always terminated when size > 0. */
char *cs_format_duration(cs_time d, char *buf, size_t size)
{
    char tmp[32];  /* the longest, "-2562047h47m16.854775808s", is 25 bytes */
    size_t w = sizeof tmp;
    bool neg = d < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;

    if (u < (uint64_t)CS_SECOND) {
        int prec;
        tmp[--w] = 's';
        if (u == 0) {
            tmp[--w] = '0';
        } else {
            if (u < (uint64_t)CS_US) {
                prec = 0;
                tmp[--w] = 'n';
            } else if (u < (uint64_t)CS_MS) {
                prec = 3;
                tmp[--w] = '\xB5';  /* U+00B5 MICRO SIGN as UTF-8: C2 B5 */
                tmp[--w] = '\xC2';
            } else {
                prec = 6;
                tmp[--w] = 'm';
            }
            u = fmt_frac(tmp, &w, u, prec);
            fmt_int(tmp, &w, u);
        }
    } else {
        tmp[--w] = 's';
        u = fmt_frac(tmp, &w, u, 9);
        fmt_int(tmp, &w, u % 60);  /* u is now whole seconds */
        u /= 60;
        if (u > 0) {
            tmp[--w] = 'm';
            fmt_int(tmp, &w, u % 60);
            u /= 60;
            if (u > 0) {  /* Go stops at hours: days are not all the same length */
                tmp[--w] = 'h';
                fmt_int(tmp, &w, u);
            }
        }
    }
    if (neg)
        tmp[--w] = '-';

    if (size > 0) {
        size_t len = sizeof tmp - w;
        if (len > size - 1)
            len = size - 1;
        memcpy(buf, tmp + w, len);
        buf[len] = '\0';
    }
    return buf;
}
