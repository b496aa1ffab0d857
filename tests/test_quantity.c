/* test_quantity.c -- quantities and durations read as Kubernetes and Go read them: exact values,
 * upstream's odd-but-legal forms, every malformed form we could think of, int64 edges, and
 * round trips of random values against an integer oracle. */
#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clustersim/quantity.h"

/* Asserts cond with a formatted message, so a failing row of a table names its input. */
#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        char msg_[256];                                                                    \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                                          \
        CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__, msg_, __FILE__, "", \
                                CU_FALSE);                                                 \
    } while (0)

#define SENTINEL ((int64_t)0x5EED5EED5EED)

typedef struct { const char *in; int64_t want; } row;

static void expect_milli(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_quantity_milli(rows[i].in, &got, &why);
        CHECK(ok && got == rows[i].want, "milli(\"%s\") = %s %" PRId64 " (%s), want %" PRId64,
              rows[i].in, ok ? "ok" : "fail", got, why ? why : "-", rows[i].want);
    }
}

static void expect_value(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_quantity_value(rows[i].in, &got, &why);
        CHECK(ok && got == rows[i].want, "value(\"%s\") = %s %" PRId64 " (%s), want %" PRId64,
              rows[i].in, ok ? "ok" : "fail", got, why ? why : "-", rows[i].want);
    }
}

/* Both readings must fail, leave *out alone and give a reason. */
static void expect_rejected(const char *const *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_quantity_milli(in[i], &got, &why);
        CHECK(!ok && got == SENTINEL && why != NULL && why[0] != '\0',
              "milli(\"%s\") should fail, got %" PRId64, in[i], got);
        why = NULL;
        ok = cs_parse_quantity_value(in[i], &got, &why);
        CHECK(!ok && got == SENTINEL && why != NULL && why[0] != '\0',
              "value(\"%s\") should fail, got %" PRId64, in[i], got);
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_cpu_quantities_read_in_millicores(void)
{
    static const row rows[] = {
        {"250m", 250},           {"2", 2000},           {"1.5", 1500},
        {"0.1", 100},            {"0.5", 500},          {"1e3", 1000000},
        {"1k", 1000000},         {"1Ki", 1024000},      {"0", 0},
        {"0m", 0},               {"1000m", 1000},       {"100.035k", 100035000},
        {"1E-3", 1},             {"1e-3", 1},           {"0.5e0", 500},
        {"1.2e3", 1200000},      {"1.3E+6", 1300000000}, {"10.035M", 10035000000},
        {"3m", 3},               {"4u", 1},             {"5n", 1},
        {"2.5P", 2500000000000000000},
    };
    expect_milli(rows, N(rows));
}

static void test_memory_quantities_read_in_bytes(void)
{
    static const row rows[] = {
        {"512Mi", 536870912},
        {"4Gi", 4294967296},
        {"1.5Gi", 1610612736},
        {"0.5Gi", 536870912},
        {"1Ki", 1024},
        {"8Ki", 8192},
        {"7Mi", 7340032},
        {"5Ti", 5497558138880},
        {"4Pi", 4503599627370496},
        {"3Ei", 3458764513820540928},
        {"7Ei", 8070450532247928832},
        {"100.035Ki", 102436},  /* 102435.84 */
        {"0.025Ti", 27487790695},  /* 27487790694.4 */
        {"1k", 1000},
        {"128M", 128000000},
        {"1G", 1000000000},
        {"1T", 1000000000000},
        {"1P", 1000000000000000},
        {"1E", 1000000000000000000},
    };
    expect_value(rows, N(rows));
}

/* MilliValue and Value are ceil(q * 1000) and ceil(q) (quantity.go ScaledValue); parsing keeps
 * the exact number, so nothing rounds twice. */
static void test_fractions_round_up(void)
{
    static const row milli[] = {
        {"100n", 1},          {"1n", 1},            {"0.0001", 1},
        {"1.0001", 1001},     {"1500u", 2},         {"1.5e-3", 2},
        {"0.9n", 1},          {"0.00000012345", 1}, {"0.000000000001Ki", 1},
        {"1e-100", 1},        {"1.1Ki", 1126400},   {"0.3Ki", 307200},
        {"3.001n", 1},        {"000.5m", 1},        {"999999u", 1000},
        {"999999.1u", 1000},  {"999999999n", 1000}, {"1000000001n", 1001},
        {"123456789012345678901234567890e-20", 1234567890124},
    };
    static const row value[] = {
        {"1.5", 2},           {"1.0001", 2},        {"250m", 1},
        {"1m", 1},            {"1n", 1},            {"0.9n", 1},
        {"1e-3", 1},          {"1.1Ki", 1127},      {"0.3Ki", 308},
        {"999m", 1},          {"1000m", 1},         {"1001m", 2},
        {"2.0000000000000000000000001", 3},
        {"123456789012345678901234567890e-20", 1234567891},
    };
    expect_milli(milli, N(milli));
    expect_value(value, N(value));
}

/* quantity.go parseQuantityString stops at the first non-digit and reads what it has as the
 * number, so a point needs no digits on either side and a suffix needs no number before it. */
static void test_upstream_accepts_odd_forms(void)
{
    static const row milli[] = {
        {".5", 500},  {"1.", 1000},   {"1.G", 1000000000000}, {".001", 1},
        {"+1", 1000}, {"+.5", 500},   {"01", 1000},           {"00000000000000000000001", 1000},
        {".", 0},     {"-.", 0},      {"+", 0},               {"-", 0},
        {"00", 0},    {"-0", 0},      {"+0.0", 0},            {"Ki", 0},
        {"Mi", 0},    {"m", 0},       {"E", 0},               {"e3", 0},
        {".Ki", 0},   {"0e100", 0},   {"0e2147483647", 0},    {"0.000Ei", 0},
        {"1e+3", 1000000}, {"1E3", 1000000}, {"1e03", 1000000}, {"1e-0", 1000},
    };
    expect_milli(milli, N(milli));
}

static void test_malformed_quantities_are_rejected(void)
{
    static const char *const bad[] = {
        "", " ", " 1", "1 ", "1\t", "\n1", "4 cores", "1 Ki", "1..2", "1.5.5", "1.1.M",
        "--1", "+-1", "-+1", "1+1.0M", "1-", "1Ki2", "1mi", "0.1mi", "1MI", "1KI", "1ki",
        "1kI", "1KiB", "1Mb", "1b", "1i", ".5i", "-3.01i", "-3.01e-", "1e", "1e+", "1E+",
        "1e-", "1ee3", "1eK", "1e3Ki", "1Ei3", "1e1.5", "1e 3", "0.1am", "aoeu", "abc",
        "Non-Numeric", "i", "e", "1_000", "1,5", "1'000", "0x10", "inf", "NaN", "1\xC2\xB5",
        "1%", "1Gi/2", "=1", "1e2147483648", "1e-2147483649", "1e4294967297", "1e99999999999",
    };
    expect_rejected(bad, N(bad));

    const char *why = NULL;
    int64_t v;
    CU_ASSERT_FALSE(cs_parse_quantity_milli("", &v, &why));
    CU_ASSERT_STRING_EQUAL(why, "empty string");
    CU_ASSERT_FALSE(cs_parse_quantity_milli("1x", &v, NULL));  /* why may be NULL */
    CU_ASSERT_FALSE(cs_parse_quantity_value("1mi", &v, &why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "suffix"));
    CU_ASSERT_FALSE(cs_parse_quantity_value("1e2147483648", &v, &why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "exponent"));
}

/* Upstream overflows silently (quantity.go Value, MilliValue); we refuse, and the edges hold. */
static void test_int64_edges_and_overflow(void)
{
    static const row value[] = {
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"-9223372036854775807", -INT64_MAX},
        {"9223372036854775806.5", INT64_MAX},
        {"9223372036854775.807k", INT64_MAX},
        {"9.223372036854775807E", INT64_MAX},
        {"922337203685477580.7e1", INT64_MAX},
        {"1e18", 1000000000000000000},
        {"9007199254740991Ki", 9223372036854774784},  /* (2^53 - 1) * 1024 */
        {"0.000000000000000000000009223372036854775807e42", INT64_MAX},
    };
    static const row milli[] = {
        {"9223372036854775807m", INT64_MAX},
        {"-9223372036854775808m", INT64_MIN},
        {"9223372036854775.807", INT64_MAX},
        {"9223372036854775.8069", INT64_MAX},
        {"1e15", 1000000000000000000},
    };
    expect_value(value, N(value));
    expect_milli(milli, N(milli));

    static const char *const value_overflows[] = {
        "9223372036854775808", "9223372036854775807.1", "-9223372036854775809",
        "99999999999999999999999", "1e19", "10E", "1e2147483647", "9223372036854775808000m",
        "18446744073709551616", "-1e19", "12E",  /* decimal amounts are never capped */
    };
    expect_rejected(value_overflows, N(value_overflows));
    static const char *const milli_overflows[] = {
        "9223372036854775808m", "9223372036854775.8071", "-9223372036854775809m",
        "9223372036854776", "1E", "1e16", "8Ei", "7Ei", "-8Ei", "9007199254740992Ki",
    };
    for (size_t i = 0; i < N(milli_overflows); i++) {
        int64_t got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_quantity_milli(milli_overflows[i], &got, &why);
        CHECK(!ok && got == SENTINEL && why != NULL && strstr(why, "int64") != NULL,
              "milli(\"%s\") should overflow, got %" PRId64, milli_overflows[i], got);
    }
}

/* ParseQuantity caps a binary SI amount at 2^63-1, keeping the sign (quantity_test.go "9Ei",
 * "9223372036854775807Ki"; quantity_overflow_test.go "-8Ei"). Decimal amounts are not capped. */
static void test_binary_si_caps_at_int64_max(void)
{
    static const row value[] = {
        {"8Ei", INT64_MAX},
        {"9Ei", INT64_MAX},
        {"20Ei", INT64_MAX},
        {"9223372036854775807Ki", INT64_MAX},
        {"7.99999999999999999999Ei", INT64_MAX},
        {"8192Pi", INT64_MAX},
        {"-8Ei", -INT64_MAX},
        {"-20Ei", -INT64_MAX},
        {"9007199254740992Ki", INT64_MAX},  /* 2^63 */
        {"7.9999999999999999Ei", 9223372036854775693},  /* just under the cap: not capped */
    };
    expect_value(value, N(value));
}

/* A negative quantity rounds away from zero, as math.go negativeScaleInt64 does for the int64
 * form (and quantity_overflow_test.go pins for "-9.5000000001Gi"). */
static void test_negative_quantities_round_away_from_zero(void)
{
    static const row milli[] = {
        {"-250m", -250}, {"-1.5", -1500}, {"-0.0001", -1}, {"-100n", -1},
        {"-1e3", -1000000}, {"-9.5000000001Gi", -10200547328108},
    };
    static const row value[] = {
        {"-1.5", -2}, {"-0.5", -1}, {"-1", -1}, {"-250m", -1}, {"-0.3Ki", -308},
        {"-9.5Gi", -10200547328}, {"-9.5000000001Gi", -10200547329},
    };
    expect_milli(milli, N(milli));
    expect_value(value, N(value));
}

/* Thousands of digits cost one pass and no allocation. */
static void test_long_inputs(void)
{
    char s[2100];
    memset(s, '0', sizeof s);
    s[1] = '.';
    s[2000] = '1';
    s[2001] = '\0';
    int64_t v = SENTINEL;
    CU_ASSERT_TRUE(cs_parse_quantity_milli(s, &v, NULL));
    CU_ASSERT_EQUAL(v, 1);
    s[2001] = 'E';
    s[2002] = '\0';
    CU_ASSERT_TRUE(cs_parse_quantity_value(s, &v, NULL));  /* 1e-1981 * 1e18 still rounds to 1 */
    CU_ASSERT_EQUAL(v, 1);

    memset(s, '9', 2000);
    s[2000] = '\0';
    CU_ASSERT_FALSE(cs_parse_quantity_value(s, &v, NULL));

    memset(s, '0', 2000);
    s[1998] = '4';
    s[1999] = '2';
    CU_ASSERT_TRUE(cs_parse_quantity_value(s, &v, NULL));  /* leading zeros: 42 */
    CU_ASSERT_EQUAL(v, 42);
}

/* A small SplitMix64, so the test owns its stream. */
static uint64_t next_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* 200 random decimals "I.F" against an oracle that rounds digit by digit; the negated string
 * must read as the negated value. */
static void test_random_decimals_match_integer_oracle(void)
{
    const uint64_t seed = 20240601;
    uint64_t st = seed;
    for (int i = 0; i < 200; i++) {
        uint64_t whole = next_u64(&st) % 1000000000000u;
        int frac_len = (int)(next_u64(&st) % 16);
        char frac[17] = "";
        for (int j = 0; j < frac_len; j++)
            frac[j] = (char)('0' + next_u64(&st) % 10);
        frac[frac_len] = '\0';
        char s[64], neg[66];
        snprintf(s, sizeof s, frac_len > 0 ? "%" PRIu64 ".%s" : "%" PRIu64 "%s", whole, frac);
        snprintf(neg, sizeof neg, "-%s", s);

        int64_t milli_want = (int64_t)whole * 1000, value_want = (int64_t)whole;
        bool milli_rest = false, value_rest = false;
        for (int j = 0; j < frac_len; j++) {
            if (j < 3)
                milli_want += (frac[j] - '0') * (j == 0 ? 100 : j == 1 ? 10 : 1);
            else
                milli_rest |= frac[j] != '0';
            value_rest |= frac[j] != '0';
        }
        milli_want += milli_rest;
        value_want += value_rest;

        int64_t m = SENTINEL, v = SENTINEL, nm = SENTINEL, nv = SENTINEL;
        CHECK(cs_parse_quantity_milli(s, &m, NULL) && m == milli_want,
              "seed %" PRIu64 " draw %d: milli(\"%s\") = %" PRId64 ", want %" PRId64, seed, i, s,
              m, milli_want);
        CHECK(cs_parse_quantity_value(s, &v, NULL) && v == value_want,
              "seed %" PRIu64 " draw %d: value(\"%s\") = %" PRId64 ", want %" PRId64, seed, i, s,
              v, value_want);
        CHECK(cs_parse_quantity_milli(neg, &nm, NULL) && nm == -milli_want,
              "seed %" PRIu64 " draw %d: milli(\"%s\") = %" PRId64, seed, i, neg, nm);
        CHECK(cs_parse_quantity_value(neg, &nv, NULL) && nv == -value_want,
              "seed %" PRIu64 " draw %d: value(\"%s\") = %" PRId64, seed, i, neg, nv);
    }
}

/* 200 random byte counts written with the largest binary suffix that divides them, and as
 * plain millis: both read back exactly. */
static void test_random_binary_and_milli_round_trips(void)
{
    static const char *const suffix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    const uint64_t seed = 7;
    uint64_t st = seed;
    for (int i = 0; i < 200; i++) {
        int e = (int)(next_u64(&st) % 7);
        uint64_t n = next_u64(&st) % ((uint64_t)1 << (62 - 10 * e));
        char s[48];
        snprintf(s, sizeof s, "%" PRIu64 "%s", n, suffix[e]);
        int64_t v = SENTINEL;
        CHECK(cs_parse_quantity_value(s, &v, NULL) && v == (int64_t)(n << (10 * e)),
              "seed %" PRIu64 " draw %d: value(\"%s\") = %" PRId64, seed, i, s, v);

        int64_t m = (int64_t)(next_u64(&st) >> 1), got = SENTINEL;
        snprintf(s, sizeof s, "%" PRId64 "m", m);
        CHECK(cs_parse_quantity_milli(s, &got, NULL) && got == m,
              "seed %" PRIu64 " draw %d: milli(\"%s\") = %" PRId64, seed, i, s, got);
        CHECK(cs_parse_quantity_value(s, &got, NULL) && got == m / 1000 + (m % 1000 != 0),
              "seed %" PRIu64 " draw %d: value(\"%s\") = %" PRId64, seed, i, s, got);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Durations
 * ------------------------------------------------------------------------------------------- */

static void expect_duration(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cs_time got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_duration(rows[i].in, &got, &why);
        CHECK(ok && got == rows[i].want, "duration(\"%s\") = %s %" PRId64 " (%s), want %" PRId64,
              rows[i].in, ok ? "ok" : "fail", got, why ? why : "-", rows[i].want);
    }
}

static void test_durations_parse_as_go(void)
{
    static const row rows[] = {
        {"500ms", 500 * CS_MS},
        {"30s", 30 * CS_SECOND},
        {"5m", 5 * CS_MINUTE},
        {"24h", 24 * CS_HOUR},
        {"1h30m", 90 * CS_MINUTE},
        {"1.5h", 90 * CS_MINUTE},
        {"2h45m", 165 * CS_MINUTE},
        {"1h0m0s", CS_HOUR},
        {"0", 0},
        {"+0", 0},
        {"-0", 0},
        {"0s", 0},
        {"0.0h", 0},
        {"-1s", -CS_SECOND},
        {"+5s", 5 * CS_SECOND},
        {"-1.5h", -90 * CS_MINUTE},
        {"1ns", 1},
        {"1us", CS_US},
        {"1\xC2\xB5s", CS_US},  /* U+00B5 MICRO SIGN */
        {"1\xCE\xBCs", CS_US},  /* U+03BC GREEK SMALL LETTER MU */
        {"1.5\xC2\xB5s", 1500},
        {"1.5s", 1500 * CS_MS},
        {".5s", 500 * CS_MS},
        {"1.s", CS_SECOND},
        {"1.5m", 90 * CS_SECOND},
        {"1s500ms", 1500 * CS_MS},
        {"1m1m", 2 * CS_MINUTE},   /* units may repeat and come in any order */
        {"1s1h", CS_HOUR + CS_SECOND},
        {"0.3333333333h", 1199999999880},
        {"1.000000001s", 1000000001},
        {"1.0000000009s", 1000000000},  /* truncated, never rounded */
        {"0.9ns", 0},
        {"00001s", CS_SECOND},
        {"1.00000000000000000000000000001h", CS_HOUR},
        {"9223372036854775807ns", INT64_MAX},
        {"2562047h47m16.854775807s", INT64_MAX},
        {"-9223372036854775808ns", INT64_MIN},
        {"-2562047h47m16.854775808s", INT64_MIN},
        {"-4611686018427387904ns4611686018427387904ns", INT64_MIN},
        /* Go computes fractions in float64: 0.036 ns per unit of f is just below 0.036, so
         * 750 of them make 26, where exact arithmetic makes 27. */
        {"0.00000000000750h", 26},
        {"0.0000000000075h", 27},
    };
    expect_duration(rows, N(rows));
}

static void test_malformed_durations_are_rejected(void)
{
    static const char *const bad[] = {
        "", "-", "+", "1d", "1w", "1h 30m", " 1s", "1s ", "1 s", "300", "1", "00", "1h30", "h",
        "s", ".s", "-.s", ".", "1.5.5s", "1..5s", "+-1s", "--1s", "1H", "1S", "1hh", "1sec",
        "1e3s", "1.5\xC2\xB5", "1\xC2\xB5", "1\xCE\xBC", "1\xC2\xB5S", "1,5s", "1_000s", "1m30.5",
        "9999999999h", "2562048h", "2562047h47m16.854775808s", "9223372036854775808ns",
        "-9223372036854775809ns", "99999999999999999999ns", "2562047.8h",
        "5124095h", "9223372036h", "4611686018427387904ns4611686018427387904ns",
        "1000000000000h", "123456789012h",  /* these would wrap to below 2^63 */
    };
    for (size_t i = 0; i < N(bad); i++) {
        cs_time got = SENTINEL;
        const char *why = NULL;
        bool ok = cs_parse_duration(bad[i], &got, &why);
        CHECK(!ok && got == SENTINEL && why != NULL && why[0] != '\0',
              "duration(\"%s\") should fail, got %" PRId64, bad[i], got);
    }
    const char *why = NULL;
    cs_time d;
    CU_ASSERT_FALSE(cs_parse_duration("", &d, &why));
    CU_ASSERT_STRING_EQUAL(why, "empty string");
    CU_ASSERT_FALSE(cs_parse_duration("300", &d, &why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "missing unit"));
    CU_ASSERT_FALSE(cs_parse_duration("1d", &d, &why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "unknown unit"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "a day is 24h"));
    /* Beyond int64 nanoseconds, either way, and only then: the reason is the exported one, which
     * says the range, so callers can tell it from bad syntax. */
    static const char *const beyond[] = {"9999999999h", "2562048h", "2562047h47m16.854775808s",
                                         "-2562047h47m16.854775809s", "1000000000000h"};
    for (size_t i = 0; i < N(beyond); i++) {
        why = NULL;
        CHECK(!cs_parse_duration(beyond[i], &d, &why) && why == cs_duration_why_range,
              "duration(\"%s\") should fail as out of range, why: %s", beyond[i], why != NULL ? why : "(none)");
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(cs_duration_why_range, "2562047h47m16.854775807s, about 292 years"));
    CU_ASSERT_FALSE(cs_parse_duration("300y", &d, &why));
    CU_ASSERT_PTR_NOT_EQUAL(why, cs_duration_why_range);
    CU_ASSERT_FALSE(cs_parse_duration("x", &d, NULL));  /* why may be NULL */
}

static void test_durations_format_as_go(void)
{
    static const struct { cs_time d; const char *want; } rows[] = {
        {0, "0s"},
        {1, "1ns"},
        {999, "999ns"},
        {CS_US, "1\xC2\xB5s"},
        {1500, "1.5\xC2\xB5s"},
        {CS_MS, "1ms"},
        {500 * CS_MS, "500ms"},
        {1500 * CS_MS, "1.5s"},
        {CS_SECOND, "1s"},
        {61 * CS_SECOND, "1m1s"},
        {90 * CS_MINUTE, "1h30m0s"},
        {24 * CS_HOUR, "24h0m0s"},
        {CS_HOUR + 1, "1h0m0.000000001s"},
        {-CS_SECOND, "-1s"},
        {-1500 * CS_US, "-1.5ms"},
        {-1, "-1ns"},
        {INT64_MAX, "2562047h47m16.854775807s"},
        {INT64_MIN, "-2562047h47m16.854775808s"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        char buf[40];
        cs_format_duration(rows[i].d, buf, sizeof buf);
        CHECK(strcmp(buf, rows[i].want) == 0, "format(%" PRId64 ") = \"%s\", want \"%s\"",
              rows[i].d, buf, rows[i].want);
    }

    char small[4] = "xyz";
    CU_ASSERT_PTR_EQUAL(cs_format_duration(90 * CS_MINUTE, small, sizeof small), small);
    CU_ASSERT_STRING_EQUAL(small, "1h3");  /* truncated as snprintf truncates */
    char none[2] = "q";
    cs_format_duration(CS_SECOND, none, 0);
    CU_ASSERT_EQUAL(none[0], 'q');  /* size 0 writes nothing */
}

/* Formatting then parsing gives back the same nanoseconds: at every magnitude for 200 random
 * durations, and at the edges. */
static void test_durations_round_trip(void)
{
    const uint64_t seed = 42;
    uint64_t st = seed;
    for (int i = 0; i < 204; i++) {
        cs_time d;
        if (i < 4) {
            static const cs_time edge[] = {INT64_MAX, INT64_MIN, 0, -1};
            d = edge[i];
        } else {
            int bits = (int)(next_u64(&st) % 63);
            d = (cs_time)(next_u64(&st) >> (63 - bits));
            if (next_u64(&st) & 1)
                d = -d;
        }
        char buf[40];
        cs_time back = SENTINEL;
        cs_format_duration(d, buf, sizeof buf);
        CHECK(cs_parse_duration(buf, &back, NULL) && back == d,
              "seed %" PRIu64 " draw %d: %" PRId64 " -> \"%s\" -> %" PRId64, seed, i, d, buf, back);
    }
}

static CU_TestInfo tests[] = {
    {"cpu quantities read in millicores", test_cpu_quantities_read_in_millicores},
    {"memory quantities read in bytes", test_memory_quantities_read_in_bytes},
    {"fractions round up", test_fractions_round_up},
    {"upstream accepts odd forms", test_upstream_accepts_odd_forms},
    {"malformed quantities are rejected", test_malformed_quantities_are_rejected},
    {"int64 edges and overflow", test_int64_edges_and_overflow},
    {"binary SI caps at int64 max", test_binary_si_caps_at_int64_max},
    {"negative quantities round away from zero", test_negative_quantities_round_away_from_zero},
    {"long inputs", test_long_inputs},
    {"random decimals match an integer oracle", test_random_decimals_match_integer_oracle},
    {"random binary and milli round trips", test_random_binary_and_milli_round_trips},
    {"durations parse as Go", test_durations_parse_as_go},
    {"malformed durations are rejected", test_malformed_durations_are_rejected},
    {"durations format as Go", test_durations_format_as_go},
    {"durations round trip", test_durations_round_trip},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo cs_quantity_suite = {.pName = "quantity", .pTests = tests};
