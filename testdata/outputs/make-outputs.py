#!/usr/bin/python3
"""make-outputs.py - tables as pandas users write them into HTML, Markdown,
LaTeX and text outputs, and Stata's tabulate output as a log shows it.

pandas writes its own (to_html, to_markdown with tabulate, to_latex with
jinja2, print); the Stata logs are written here in the layout of Stata's
[R] tabulate oneway and twoway manual entries (a box of '|' and '-' rules,
frequency, percent and cumulative columns, a Total row), since Stata is
not free software. Each output's expected verdict is worked out from the
counts below in EXPECTED.tsv. Run from the repository root:
    /usr/bin/python3 testdata/outputs/make-outputs.py
(python3-pandas, python3-tabulate, python3-jinja2; deterministic.)
"""
import io
import os
import contextlib

import pandas as pd

OUT = "testdata/outputs"


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# Patients by practice and sex: Practice B has 4 women (below 10).
records = pd.DataFrame(
    {"practice": ["A"] * 50 + ["B"] * 34 + ["C"] * 41,
     "sex": ["F"] * 20 + ["M"] * 30 + ["F"] * 4 + ["M"] * 30 + ["F"] * 21 + ["M"] * 20})
counts = records.groupby(["practice", "sex"]).size().reset_index(name="patients")
# A safe table: every count 10 or more, no sex 90% of a practice.
safe = pd.DataFrame({"practice": ["A", "A", "C", "C"], "sex": ["F", "M", "F", "M"],
                     "patients": [20, 30, 21, 20]})

write("py_to_html.html", safe.to_html())
write("py_to_markdown.md", "## Patients by practice and sex\n\n" + counts.to_markdown(index=False) + "\n")
write("py_to_latex.tex", safe.to_latex(index=False))
with contextlib.redirect_stdout(io.StringIO()) as buf:
    print(pd.crosstab(records.practice, records.sex, margins=True, margins_name="Total"))
write("py_print_crosstab.txt", buf.getvalue())
styled = safe.style.set_uuid("sdc").set_caption("Patients by practice and sex").to_html()
write("py_styled.html", "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n"
      + styled + "\n</body>\n</html>\n")

# Stata: tabulate region (one-way), and tabulate region sex (two-way).
oneway = """\
-------------------------------------------------------------------------------
      name:  <unnamed>
       log:  /home/researcher/outputs/tabs.log
  log type:  text
 opened on:   4 Dec 2026, 09:12:03

. tabulate region

     region |      Freq.     Percent        Cum.
------------+-----------------------------------
      North |          3        3.53        3.53
 North East |         30       35.29       38.82
      South |         52       61.18      100.00
------------+-----------------------------------
      Total |         85      100.00

. log close
      name:  <unnamed>
       log:  /home/researcher/outputs/tabs.log
  log type:  text
 closed on:   4 Dec 2026, 09:12:04
-------------------------------------------------------------------------------
"""
write("stata_tabulate_oneway.log", oneway)
twoway = """\
. tabulate region sex

           |          sex
    region |         F          M |     Total
-----------+----------------------+----------
      East |        20         30 |        50
North East |        15         25 |        40
      West |        35         25 |        60
-----------+----------------------+----------
     Total |        70         80 |       150
"""
write("stata_tabulate_twoway.log", twoway)
