#!/usr/bin/python3
"""make-aligned-records.py - person-level records printed as aligned text
(doc/design.md, "Records in code"), and honest logs whose aligned tables
are aggregates.

The records are testdata/artefacts/data/people.csv (200 people). The
disguises are what a researcher's session prints or exports: pandas'
DataFrame.to_string() of the data frame (with its index, and without it
inside a log of other lines), and a fixed-width file (columns at fixed
positions, a missing income left blank) as SAS's PUT @column or Python's
str.format writes one. The honest output: a log with pandas' counts of
people by region and age band (ten rows, every count 10 or more), an
aggregate printed as aligned text. Needs python3-pandas; run from the
repository root:

    /usr/bin/python3 testdata/make-aligned-records.py
"""
import os

import pandas as pd

OUT = "testdata/artefacts/disguised/code"
BENIGN = "testdata/benign/code"

people = pd.read_csv("testdata/artefacts/data/people.csv")


def write(directory, name, text):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w", newline="") as f:
        f.write(text)


def fixed_width():
    lines = []
    for i, r in people.iterrows():
        income = "" if i % 17 == 3 else "%.0f" % r.income
        lines.append("{:>6} {:1} {:>3} {:<14}{:10} {:>7}".format(
            r.person_id, r.sex, r.age, r.region, r.date_of_birth, income).rstrip())
    return "\n".join(lines) + "\n"


with pd.option_context("display.max_rows", None, "display.width", 200):
    write(OUT, "people_pandas.txt", people.to_string() + "\n")
    write(OUT, "people_session.log",
          ">>> people = pd.read_csv('people.csv')\n>>> print(people.to_string(index=False))\n" +
          people.to_string(index=False) + "\n>>> people.income.mean()\n%.2f\n" %
          people.income.mean())
write(OUT, "people_fixed.txt", fixed_width())

# Honest: aggregates printed as aligned text.
band = pd.cut(people.age, [17, 49, 120], labels=["18-49", "50+"])
counts = people.groupby([people.region, band]).size().rename("people")
assert counts.min() >= 10, counts  # the honest table: no count under 10
log = ("People by region and age band\n\n" + counts.to_string() + "\n\n" +
       "All counts are 10 or more.\n")
write(BENIGN, "region_age.log", log)
