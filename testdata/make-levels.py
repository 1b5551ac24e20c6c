#!/usr/bin/python3
"""make-levels.py - records for `sdccheck protect` with levels declared
within one column (man/sdccheck.1, COMMANDS, protect; doc/design.md,
"Safe tables from microdata"). The counts below are the hand-worked
expectations of tests/test_levels.c. Standard library only; run from the
repository root:

    /usr/bin/python3 testdata/make-levels.py

areas.csv (id, area), declared by areas.sdc.yaml beside it
(England: [North, South], Wales: [Cardiff, Swansea]); Scotland is in no
level, so it is a top-level category:
    North 4, South 12            England 16
    Cardiff 20, Swansea 25       Wales 45
    Scotland 15                  Total 16 + 45 + 15 = 76
North (4) is below the threshold of 10; England's published 16 and
South's 12 would give it back (16 - 12), so a complement is needed.

moves.csv (id, area, sex, income), declared in spec.yaml (--table-spec):
every person has income 100 but "mover", who has a record in North
(female, 80) and one in South (female, 90):
    North   F 10 + mover = 11   M 12   Total 23
    South   F 11 + mover = 12   M 13   Total 25
    England F 10 + 11 + 1 = 22 (mover once)   M 25   Total 47
    Cardiff F 10  M 10  Total 20;  Swansea the same;  Wales F 20 M 20 T 40
    Total   F 42  M 45  Total 87
Incomes: North F 1080, South F 1190, England F 2270; mover's 80 + 90 = 170
is England's (and the Total's) largest female contribution, while in North
and South alone the largest is 100.

direct.csv: areas.csv with one person recorded directly in England (a
declared parent), declared by direct.sdc.yaml: an error.
"""
import os

OUT = "testdata/levels"


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(str(x) for x in row) + "\n")


def people(prefix, n, *rest):
    return [(f"{prefix}{i + 1:02d}",) + rest for i in range(n)]


areas = (people("n", 4, "North") + people("s", 12, "South") + people("c", 20, "Cardiff")
         + people("w", 25, "Swansea") + people("k", 15, "Scotland"))
write("areas.csv", "id,area", areas)
write("direct.csv", "id,area", areas[:30] + [("e01", "England")] + areas[30:])

moves = (people("nf", 10, "North", "F", 100) + people("nm", 12, "North", "M", 100)
         + [("mover", "North", "F", 80)]
         + people("sf", 11, "South", "F", 100) + people("sm", 13, "South", "M", 100)
         + [("mover", "South", "F", 90)]
         + people("cf", 10, "Cardiff", "F", 100) + people("cm", 10, "Cardiff", "M", 100)
         + people("wf", 10, "Swansea", "F", 100) + people("wm", 10, "Swansea", "M", 100))
write("moves.csv", "id,area,sex,income", moves)
