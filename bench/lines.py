#!/usr/bin/env python3
"""bench/lines.py - how far the lines alone would let the 5-D bench table's
complements go.

    python3 bench/lines.py WRITTEN.csv CELLS.csv [THRESHOLD]

WRITTEN.csv is the table `protect` wrote for the nested input of
bench/suppress.sh (out-nested.csv), CELLS.csv the same table unsuppressed
(DuckDB's duckdb-nested-staged.csv from the same run: empty labels are the
totals). Counts below THRESHOLD (default 10, the ons-srs threshold) are the
primary cells; the other hidden counts are the complements.

A line (the cells that differ in one coordinate, with its total; a country's
regions with the country, the countries with the grand total) that hides
exactly one cell gives it away, so every line of a protected table hides
none or at least two. That is necessary, not sufficient: a pattern must also
leave each primary cell room to move by the protection width, which this
script ignores. It releases complements greedily, largest count first,
while every line through each keeps none or at least two hidden, and prints
how many that leaves per primary cell. Any pattern `protect` could reach by
giving complements back from this one, in that order, hides at least that
many.
"""
import collections
import csv
import sys


def lines(key):
    """The lines through cell KEY (country, region, sex, age, ethnicity, year)."""
    country, region = key[0], key[1]
    out = [(d,) + key[:d] + key[d + 1:] for d in range(2, 6)]
    if region == "Total":
        out.append(("countries",) + key[2:])
    if country != "Total":
        out.append(("regions", country) + key[2:])
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python3 bench/lines.py WRITTEN.csv CELLS.csv [THRESHOLD]")
    written, cells = sys.argv[1], sys.argv[2]
    threshold = int(sys.argv[3]) if len(sys.argv) == 4 else 10
    count = {}
    with open(cells, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            key = tuple(x if x != "" else "Total" for x in row[:6])
            count[key] = int(row[6])
    hidden = collections.Counter()
    primary, complements = 0, []
    with open(written, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        n = header.index("n")
        for row in rows:
            if row[n] != "c":
                continue
            key = tuple(row[:6])
            for line in lines(key):
                hidden[line] += 1
            if count[key] < threshold:
                primary += 1
            else:
                complements.append(key)
    lone = sum(1 for v in hidden.values() if v == 1)
    complements.sort(key=lambda k: (-count[k], k))
    released = 0
    for key in complements:
        through = lines(key)
        if all(hidden[line] != 2 for line in through):
            for line in through:
                hidden[line] -= 1
            released += 1
    left = len(complements) - released
    print(f"counts hidden: {primary} primary, {len(complements)} complements "
          f"({len(complements) / primary:.2f} per primary); lines hiding one cell: {lone}")
    print(f"released by the lines alone, largest first: {released}; "
          f"left {left} ({left / primary:.2f} per primary)")


if __name__ == "__main__":
    main()
