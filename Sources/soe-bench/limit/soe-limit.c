// soe-limit: the hand-written limit for `soe-bench limit` (docs/benchmark.md, "The limit").
//
// It does the work of `soe evaluate --rules rules/anden_aktoer.rules firms.csv --output FILE`
// as directly as C allows, so that soe's whole process can be measured against what the
// hardware does: map the file, split each line, convert the cells it needs to integers (øre,
// hundredths of a percent, counts), apply the rule set's conditions written out by hand in
// integer arithmetic (a share compared with a threshold by cross-multiplication, so exact), and
// write `id,outcome` lines through one buffer.
//
// It is a measuring stick, not an engine: the thresholds are the bundled rule set's, copied in;
// a missing or unreadable cell makes the row `undetermined` or `rejected` without the reasons
// soe gives. The benchmark checks that its outcome agrees with soe's on every row.
//
// usage: soe-limit FIRMS.csv OUTPUT   ('-' as OUTPUT writes standard output)
// build: clang -O2 -o soe-limit Sources/soe-bench/limit/soe-limit.c (soe-bench limit does it)
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OWN_CVR, PUBLIC_OWNERSHIP, MARKET_SALES, MUNICIPAL, OTHER_PUBLIC, GRANTS, ORDINARY, FLEKSJOB, LOENTILSKUD,
       SKAANEJOB, SMAAJOB, PRAKTIK, INPUTS };
static const char *input_names[INPUTS] = {
    "own_cvr", "public_ownership", "market_sales", "municipal_employment_services", "other_public_contracts", "grants",
    "ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob", "virksomhedspraktik"};
enum { MAX_COLUMNS = 256 };

static char *out_buffer;
static size_t out_used;
static const size_t out_size = 1 << 20;
static int out_fd;

static void flush_out(void) {
    size_t done = 0;
    while (done < out_used) {
        ssize_t n = write(out_fd, out_buffer + done, out_used - done);
        if (n <= 0) { perror("soe-limit: write"); exit(5); }
        done += (size_t)n;
    }
    out_used = 0;
}

static inline void put(const char *bytes, size_t length) {
    if (out_used + length > out_size) flush_out();
    memcpy(out_buffer + out_used, bytes, length);
    out_used += length;
}

// A decimal with at most `places` decimals, scaled by 10^places; 0 when malformed or empty.
static inline int scaled(const char *p, const char *end, int places, int64_t *value) {
    if (p == end) return 0;
    int negative = 0;
    if (*p == '-') { negative = 1; p++; }
    int64_t v = 0;
    int digits = 0, decimals = -1;
    for (; p < end; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (d < 10) {
            if (decimals >= 0 && ++decimals > places) return 0;
            v = v * 10 + d;
            digits++;
            if (digits > 17) return 0;
        } else if (*p == '.' && decimals < 0) {
            decimals = 0;
        } else {
            return 0;
        }
    }
    if (digits == 0) return 0;
    for (int k = decimals < 0 ? 0 : decimals; k < places; k++) v *= 10;
    *value = negative ? -v : v;
    return 1;
}

static inline int boolean(const char *p, const char *end, int64_t *value) {
    size_t n = (size_t)(end - p);
    if (n == 4 && memcmp(p, "true", 4) == 0) { *value = 1; return 1; }
    if (n == 5 && memcmp(p, "false", 5) == 0) { *value = 0; return 1; }
    return 0;
}

// anden_aktoer's classify block, in order, on exact integers.
static const char *classify(const int64_t *in) {
    if (!in[OWN_CVR]) return "not_eligible";
    if (in[PUBLIC_OWNERSHIP] >= 5000) return "public_controlled";  // hundredths: 50 %
    int64_t total = in[MARKET_SALES] + in[MUNICIPAL] + in[OTHER_PUBLIC] + in[GRANTS];
    if (total != 0 && 2 * in[MUNICIPAL] > total) return "anden_aktoer";  // share > 50 %
    int market_based = total != 0 && 2 * in[MARKET_SALES] >= total;     // share ≥ 50 %
    int64_t special = in[FLEKSJOB] + in[LOENTILSKUD] + in[SKAANEJOB] + in[SMAAJOB];
    int64_t staff = in[ORDINARY] + special;
    int paid_jobs = special >= 1 && staff != 0 && 5 * special >= staff;  // share ≥ 20 %
    int64_t placements = in[PRAKTIK] + in[LOENTILSKUD];
    int64_t ordinary = in[ORDINARY];
    int reasonable = ordinary <= 50 ? 5 * placements <= (ordinary > 5 ? ordinary : 5)  // ≤ max(1, ordinary / 5)
                                    : 10 * placements <= 100 + (ordinary - 50);        // ≤ 50/5 + (ordinary − 50)/10
    if (market_based && paid_jobs && reasonable) return "social_economy";
    return "ordinary";
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: soe-limit FIRMS.csv OUTPUT\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror("soe-limit: open"); return 5; }
    size_t size = (size_t)st.st_size;
    const char *data = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
    if (data == MAP_FAILED) { perror("soe-limit: mmap"); return 5; }
    madvise((void *)data, size, MADV_SEQUENTIAL);
    out_fd = strcmp(argv[2], "-") == 0 ? 1 : open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0) { perror("soe-limit: output"); return 5; }
    out_buffer = malloc(out_size);

    const char *p = data, *end = data + size;
    // Header: which column holds the id and each input.
    int role[MAX_COLUMNS];  // -1 unused, -2 id, else the input
    int columns = 0, id_column = -1, found = 0;
    while (p < end && columns < MAX_COLUMNS) {
        const char *start = p;
        while (p < end && *p != ',' && *p != '\n' && *p != '\r') p++;
        size_t n = (size_t)(p - start);
        role[columns] = -1;
        if (n == 2 && memcmp(start, "id", 2) == 0) { role[columns] = -2; id_column = columns; }
        for (int k = 0; k < INPUTS; k++)
            if (strlen(input_names[k]) == n && memcmp(start, input_names[k], n) == 0) { role[columns] = k; found++; }
        columns++;
        if (p < end && *p == '\r') p++;
        if (p >= end || *p++ == '\n') break;
    }
    if (id_column < 0 || found != INPUTS) { fprintf(stderr, "soe-limit: the header lacks id or an input\n"); return 4; }
    put("id,outcome\n", 11);

    int64_t in[INPUTS];
    while (p < end) {
        const char *id = p, *id_end = p;
        int missing = 0, bad = 0, column = 0;
        for (;;) {
            const char *start = p, *stop;
            if (p < end && *p == '"') {  // a quoted field: only ids and names are ever quoted
                start = ++p;
                while (p < end && !(*p == '"' && (p + 1 >= end || p[1] != '"'))) p += *p == '"' ? 2 : 1;
                stop = p;
                if (p < end) p++;
            } else {
                while (p < end && *p != ',' && *p != '\n') p++;
                stop = p > start && p[-1] == '\r' && (p >= end || *p == '\n') ? p - 1 : p;
            }
            if (column < columns) {
                int r = role[column];
                if (r == -2) { id = start; id_end = stop; }
                else if (r >= 0) {
                    if (start == stop) missing = 1;
                    else if (r == OWN_CVR) bad |= !boolean(start, stop, &in[r]);
                    else if (r == PUBLIC_OWNERSHIP) bad |= !scaled(start, stop, 2, &in[r]);
                    else if (r <= GRANTS) bad |= !scaled(start, stop, 2, &in[r]) || in[r] < 0;
                    else bad |= !scaled(start, stop, 0, &in[r]) || in[r] < 0;
                }
            }
            column++;
            if (p >= end || *p == '\n') { if (p < end) p++; break; }
            p++;  // the comma
        }
        if (column == 1 && id == id_end) continue;  // an empty line
        put(id, (size_t)(id_end - id));
        put(",", 1);
        const char *outcome = bad || column != columns ? "rejected" : missing ? "undetermined" : classify(in);
        put(outcome, strlen(outcome));
        put("\n", 1);
    }
    flush_out();
    if (out_fd != 1 && close(out_fd) != 0) { perror("soe-limit: close"); return 5; }
    return 0;
}
