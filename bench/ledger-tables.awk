# ledger-tables.awk - N small tables that pass, for bench/ledger.sh:
#
#   awk -v seed=S -v n=N -v dir=DIR -f bench/ledger-tables.awk
#
# writes DIR/t1.csv .. DIR/tN.csv. Each crosses two dimensions drawn from a
# vocabulary of 40 names (a few real ones, then dim8 .. dim39), each with
# its own 2 to 5 category labels: a long table of label, label, n with
# every count from 50 to 200 (no category over 80% of a row) and each row's total (the second dimension's
# Total); about a third hide the two first cells of one row ("c"), which
# the row total alone leaves each free from 0 to the total, so every
# table passes. The values are random (SEED), so tables of different
# seeds count different people.
BEGIN {
    srand(seed)
    split("region sex age_group ethnicity tenure year quarter occupation", name, " ")
    for (d = 9; d <= 40; d++)
        name[d] = "dim" (d - 1)
    for (d = 1; d <= 40; d++) {
        ncat[d] = 2 + (d * 7) % 4
        for (k = 1; k <= ncat[d]; k++)
            cat[d, k] = name[d] "_" k
    }
    for (t = 1; t <= n; t++) {
        a = 1 + int(rand() * 40)
        do b = 1 + int(rand() * 40); while (b == a)
        f = dir "/t" t ".csv"
        print name[a] "," name[b] ",n" > f
        hide = rand() < 0.33 ? 1 + int(rand() * ncat[a]) : 0
        for (i = 1; i <= ncat[a]; i++) {
            total = 0
            for (j = 1; j <= ncat[b]; j++) {
                v = 50 + int(rand() * 151)
                total += v
                print cat[a, i] "," cat[b, j] "," (i == hide && j <= 2 ? "c" : v) > f
            }
            print cat[a, i] ",Total," total > f
        }
        close(f)
    }
}
