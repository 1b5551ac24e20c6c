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

# statsmodels OLS without df or N, as summary2() gives its coefficient
# table (Coef., Std.Err., t, P>|t|, [0.025, 0.975]), written to 3 decimals
# as researchers round them: a line through 10 points has 8 residual df
# (below 10), through 30 points 28.
import numpy as np
import statsmodels.api as sm

x = np.array([1.2, 3.4, 2.2, 5.1, 4.4, 3.3, 2.8, 4.0, 3.9, 1.1] * 3)
e = np.array([0.1, -0.2, 0.3, 0.1, -0.1, 0.2, -0.3, 0.1, 0.0, 0.2,
              -0.1, 0.1, 0.2, -0.2, 0.0, 0.1, -0.1, 0.3, -0.3, 0.0,
              0.2, 0.1, -0.2, 0.1, 0.0, -0.1, 0.1, 0.2, -0.1, 0.0])
y = 2 * x + e
for n, name in ((10, "py_statsmodels_df8.csv"), (30, "py_statsmodels_df28.csv")):
    res = sm.OLS(y[:n], sm.add_constant(x[:n])).fit()
    table = res.summary2().tables[1]
    table.to_csv(os.path.join(OUT, name), float_format="%.3f")

# describe(): statistics as rows (count, mean, std, min, 25%, 50%, 75%,
# max), the variables as columns; 12 incomes, and by group with a group
# of 4.
incomes = pd.DataFrame({"income": [12100, 34500, 22200, 51000, 44400, 33300, 28800,
                                   40000, 39900, 11000, 25500, 36600]})
incomes.describe().to_csv(os.path.join(OUT, "py_describe.csv"))
incomes["group"] = ["A"] * 4 + ["B"] * 8
incomes.groupby("group").income.describe().to_csv(os.path.join(OUT, "py_describe_by_group.csv"))

# Workbooks as statistical offices publish them (openpyxl): a cover, a
# contents and a notes sheet (text; the notes numbered 1, 2), and a table
# sheet with a title, a source line and a blank row above its header, and
# notes below it. The safe one's counts are all 10 or more (25/30, 40/35,
# shares at most 57%); in the other, North has 3 women.
import datetime
import openpyxl


def workbook(path, north_f):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Respondents by region and sex, 2023"
    cover["A2"] = "This workbook holds the tables of the 2023 release."
    cover["A4"] = "Contact: the statistics team"
    contents = wb.create_sheet("Contents")
    contents.append(["Sheet", "Title"])
    contents.append(["Notes", "Notes on the tables"])
    contents.append(["Table_1", "Respondents by region and sex"])
    notes = wb.create_sheet("Notes")
    notes.append(["Note number", "Note text"])
    notes.append([1, "Counts are unweighted numbers of respondents."])
    notes.append([2, "Cells marked [c] are confidential."])
    t = wb.create_sheet("Table_1")
    t.append(["Table 1: Respondents by region and sex, 2023"])
    t.append(["Source: Annual Population Survey"])
    t.append([])
    t.append(["Region", "Female", "Male", "Total"])
    t.append(["North", north_f, 30, north_f + 30])
    t.append(["South", 40, 35, 75])
    t.append(["Total", north_f + 40, 65, north_f + 105])
    t.append([])
    t.append(["Notes: counts are unweighted."])
    t.append(["[c] = confidential"])
    when = datetime.datetime(2026, 12, 1, 9, 0, 0)
    wb.properties.created = when
    wb.properties.modified = when
    wb.save(path)
    fixed_times(path, when)


def fixed_times(path, when):
    """Rewrites the zip with every member dated WHEN (openpyxl dates them
    now), so that the file is the same on every run."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)


workbook(os.path.join(OUT, "py_publication.xlsx"), 25)
workbook(os.path.join(OUT, "py_publication_small.xlsx"), 3)

# Word reports (python-docx): prose and a table, its header spanning two
# columns (gridSpan) over F and M. In one, Practice B has 4 women; in the
# other every count is 20 or more (the prose keeps it for a person).
import docx


def report(path, b_women):
    d = docx.Document()
    d.core_properties.created = datetime.datetime(2026, 12, 1, 9, 0, 0)
    d.core_properties.modified = datetime.datetime(2026, 12, 1, 9, 0, 0)
    d.core_properties.last_modified_by = "researcher"
    d.add_heading("Patients by practice and sex", 1)
    d.add_paragraph("The table below counts registered patients in each practice.")
    t = d.add_table(rows=2, cols=3)
    t.rows[0].cells[0].text = ""
    top = t.rows[0].cells[1].merge(t.rows[0].cells[2])
    top.text = "Sex"
    for i, v in enumerate(["Practice", "F", "M"]):
        t.rows[1].cells[i].text = v
    for row in (("A", 20, 30), ("B", b_women, 30), ("C", 21, 20)):
        cells = t.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = str(v)
    d.add_paragraph("Source: practice registers.")
    d.save(path)
    fixed_times(path, datetime.datetime(2026, 12, 1, 9, 0, 0))


report(os.path.join(OUT, "py_report.docx"), 4)
report(os.path.join(OUT, "py_report_safe.docx"), 24)

# A notebook (nbformat 4) whose cell shows a frame of counts: its outputs
# are what Jupyter's display formatter stores, pandas' _repr_html_() and
# repr(), made here by pandas itself. Practice B has 4 women.
import nbformat

nb = nbformat.v4.new_notebook()
nb.cells.append(nbformat.v4.new_markdown_cell("# Patients by practice and sex"))
code = nbformat.v4.new_code_cell("counts", execution_count=1)
code.outputs.append(nbformat.v4.new_output(
    "execute_result", execution_count=1,
    data={"text/html": counts._repr_html_(), "text/plain": repr(counts)}))
nb.cells.append(code)
for i, cell in enumerate(nb.cells):
    cell["id"] = "cell-%d" % (i + 1)  # nbformat draws random ids
nbformat.write(nb, os.path.join(OUT, "py_notebook.ipynb"))

# Excel adds the page setup's printer as xl/printerSettings/printerSettings1.bin,
# a DEVMODEW (MS-RPRN 2.2.2.1): written here from that layout (openpyxl
# writes none) into the publication workbook: 32 UTF-16 characters of
# device name, spec version 0x0401, dmSize 220, 16 bytes of driver data.
# A second copy carries a pickle in the driver's bytes (dmDriverExtra
# covering it): the structure holds, the pickle inside fails.
import struct
import zipfile


def devmode(extra):
    name = "Microsoft Print to PDF".encode("utf-16-le").ljust(64, b"\0")
    head = name + struct.pack("<HHHHI", 0x0401, 0x0001, 220, len(extra), 0x0001FF1F)
    fields = struct.pack("<hhhhhhhhhhh", 1, 9, 2970, 2100, 100, 1, 1, 600, 2, 1, 600)
    public = (head + fields).ljust(220, b"\0")
    return public + extra


def with_printer(src, dst, extra):
    when = (2026, 12, 1, 9, 0, 0)
    with zipfile.ZipFile(src) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w") as z:
        for name, data in members + [("xl/printerSettings/printerSettings1.bin", devmode(extra))]:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


import pickle

with_printer(os.path.join(OUT, "py_publication.xlsx"), os.path.join(OUT, "py_publication_printer.xlsx"),
             bytes(range(16)))
with_printer(os.path.join(OUT, "py_publication.xlsx"), os.path.join(OUT, "py_publication_printer_pickle.xlsx"),
             pickle.dumps({"coef": [0.5, 1.25, -3.0], "intercept": 2.0}, protocol=4))

# statsmodels' summary() text of the OLS on 10 points: "Df Residuals: 8".
res10 = sm.OLS(y[:10], sm.add_constant(x[:10])).fit()
import re

text = res10.summary().as_text()  # its Date and Time lines say when it ran: fixed here
text = re.sub(r"(Date: +)\w{3}, \d\d \w{3} \d{4}", r"\1Thu, 03 Dec 2026", text)
text = re.sub(r"(Time: +)\d\d:\d\d:\d\d", r"\g<1>09:00:00", text)
write("py_statsmodels_summary_df8.txt", text + "\n")

# Stata's regress output in a log (the layout of [R] regress: the ANOVA
# table beside the header, then the coefficients), 9 observations and 2
# coefficients: the Residual row's df is 7.
write("stata_regress_df7.log", """\
. regress price mpg

      Source |       SS           df       MS      Number of obs   =         9
-------------+----------------------------------   F(1, 7)         =      8.47
       Model |  32498371.6         1  32498371.6   Prob > F        =    0.0227
    Residual |  26862428.4         7  3837489.77   R-squared       =    0.5475
-------------+----------------------------------   Adj R-squared   =    0.4829
       Total |    59360800         8     7420100   Root MSE        =    1958.9

------------------------------------------------------------------------------
       price | Coefficient  Std. err.      t    P>|t|     [95% conf. interval]
-------------+----------------------------------------------------------------
         mpg |  -298.4431   102.5518    -2.91   0.023    -540.9383   -55.94786
       _cons |   12468.26   2176.519     5.73   0.001      7321.53    17614.99
------------------------------------------------------------------------------
""")

# stargazer's text output (its documented layout), 50 observations: the
# residual df are 48, enough; the printout is still prose for a person.
write("stargazer_df48.txt", """\

===============================================
                        Dependent variable:
                    ---------------------------
                               dist
-----------------------------------------------
speed                        3.932***
                              (0.416)

Constant                    -17.579**
                              (6.758)

-----------------------------------------------
Observations                    50
R2                             0.651
Adjusted R2                    0.644
Residual Std. Error      15.380 (df = 48)
F Statistic           89.567*** (df = 1; 48)
===============================================
Note:               *p<0.1; **p<0.05; ***p<0.01
""")

# esttab's CSV (Stata's estout package, "esttab using file.csv": each cell
# written ="..." so that Excel shows it as text, t statistics in brackets
# under each coefficient, N at the foot), written from its help file's
# layout: two models on 9 observations (2 and 3 coefficients: 7 and 6
# residual df, both below 10), and one on 74 with df_r given (72).
write("esttab_df7.csv", """\
="",="(1)",="(2)"
="",="price",="price"
="mpg",="-298.4**",="-250.1*"
="",="(-2.91)",="(-2.05)"
="weight",="",="0.81"
="",="",="(0.95)"
="_cons",="12468.3***",="9102.7*"
="",="(5.73)",="(2.12)"
="N",="9",="9"
""")
write("esttab_df72.csv", """\
="",="(1)"
="",="price"
="mpg",="-238.9***"
="",="(-4.50)"
="_cons",="11253.1***"
="",="(11.40)"
="N",="74"
="df_r",="72"
""")

# Stata's table command, as Stata 17 ([R] table) and Stata 16 draw it:
# North has 3 women of 43 (the men 93%).
write("stata_table17.log", """\
. table region sex

----------------------------------
         |           Sex
         |  Female    Male   Total
---------+------------------------
Region   |
  North  |       3      40      43
  South  |      22      30      52
  Total  |      25      70      95
----------------------------------
""")
write("stata_table16.log", """\
. table region sex

----------------------------
          |       sex
   region | Female    Male
----------+-----------------
    North |      3      40
    South |     22      30
----------------------------
""")
