#!/usr/bin/python3
"""make-tables.py - test tables written the way Python and Excel users write them.

Run from the repository root with Debian's interpreter (it needs Debian's
python3-pandas and python3-numpy):

    /usr/bin/python3 testdata/make-tables.py

Writes into testdata/generated/ (the outputs are committed, so the tests never
need Python). Deterministic: every count is fixed below and expanded into
records that pandas then tabulates; the few random values come from
numpy.random.default_rng with fixed seeds, rounded.

Files (what sdccheck should find is in testdata/generated/README.md):

  py_crosstab_margins.csv         pandas.crosstab(region, sex, margins=True)
                                  .to_csv(): the "All" margin row and column;
                                  the header's first cell is the index name.
                                  Safe.
  py_crosstab_small_counts.csv    the same shape (age_band x tenure) with two
                                  counts below 10 and a zero. Unsafe.
  py_crosstab_primary_only.csv    that table after the researcher replaced
                                  every count below 10 with "c" but kept the
                                  "All" margins: each suppressed cell can be
                                  recovered by subtraction.
  py_groupby_agg.csv              df.groupby("region").agg({"turnover":
                                  ["count", "sum", "mean", "max"]}) with the
                                  MultiIndex columns flattened to
                                  turnover_count, turnover_sum ...: one region
                                  with 3 firms, one where one firm holds 97%.
  py_groupby_agg_multiheader.csv  the same table written without flattening:
                                  pandas writes three header rows (",turnover,
                                  turnover,...", ",count,sum,...", "region,,,").
  py_excel_unicode.tsv            what Excel's "Unicode Text" save writes:
                                  UTF-16LE with a BOM, tab separated, CRLF;
                                  Welsh place names (Ynys Môn). Safe.
  py_latin1_labels.csv            a CSV saved from Excel on Windows: Windows-1252
                                  (all bytes also valid Latin-1), CRLF, labels
                                  with £ and é; one count below 10.
  py_utf8_bom_crlf.csv            df.to_csv(encoding="utf-8-sig",
                                  lineterminator="\\r\\n"): UTF-8 with a BOM and
                                  CRLF line ends, counts with percentages. Safe.
  py_percent_only.csv             percentages with no counts behind them.
  py_rounded_totals.csv           a crosstab whose every cell, totals included,
                                  was rounded to base 5 on its own, so the
                                  published totals no longer add up.
  py_unrecognised_column.csv      counts plus a numeric column whose name says
                                  nothing (deprivation_score).
  py_profit_by_sector.csv         a magnitude table (n, total_profit) with
                                  losses: negative values.
  py_sum_without_n.csv            df.groupby("region").agg(total_sales=("sales",
                                  "sum")): a magnitude with no contributor
                                  counts.
"""

import csv
import os

import numpy as np
import pandas as pd

OUT_DIR = os.path.join("testdata", "generated")


def out(name):
    return os.path.join(OUT_DIR, name)


def records_from_counts(counts, row_var, col_var, rng):
    """One record per counted unit of a {row: {col: count}} table, shuffled."""
    rows = []
    for r, by_col in counts.items():
        for c, k in by_col.items():
            rows.extend([(r, c)] * k)
    df = pd.DataFrame(rows, columns=[row_var, col_var])
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    # Categoricals keep the published order (and empty categories).
    df[row_var] = pd.Categorical(df[row_var], categories=list(counts))
    df[col_var] = pd.Categorical(df[col_var], categories=list(next(iter(counts.values()))))
    return df


def crosstab_margins(rng):
    counts = {
        "East Midlands": {"Female": 187, "Male": 179},
        "East of England": {"Female": 256, "Male": 249},
        "London": {"Female": 371, "Male": 362},
        "North East": {"Female": 112, "Male": 104},
        "North West": {"Female": 298, "Male": 281},
        "South East": {"Female": 382, "Male": 365},
        "South West": {"Female": 230, "Male": 219},
        "West Midlands": {"Female": 240, "Male": 233},
        "Yorkshire and The Humber": {"Female": 221, "Male": 215},
    }
    df = records_from_counts(counts, "region", "sex", rng)
    pd.crosstab(df["region"], df["sex"], margins=True).to_csv(out("py_crosstab_margins.csv"))


TENURE_COUNTS = {
    "16-24": {"Owned outright": 5, "Mortgage": 12, "Social rent": 30, "Private rent": 48},
    "25-34": {"Owned outright": 11, "Mortgage": 60, "Social rent": 35, "Private rent": 70},
    "35-49": {"Owned outright": 40, "Mortgage": 110, "Social rent": 42, "Private rent": 55},
    "50-64": {"Owned outright": 90, "Mortgage": 70, "Social rent": 38, "Private rent": 25},
    "65+": {"Owned outright": 150, "Mortgage": 8, "Social rent": 45, "Private rent": 0},
}


def crosstab_small_counts(rng):
    df = records_from_counts(TENURE_COUNTS, "age_band", "tenure", rng)
    tab = pd.crosstab(df["age_band"], df["tenure"], margins=True, dropna=False)
    tab.to_csv(out("py_crosstab_small_counts.csv"))
    # The researcher's "fix": blank out small counts, keep the margins.
    body = tab.drop(index="All", columns="All")
    masked = body.astype(object).where(body >= 10, "c")
    masked["All"] = tab["All"].drop(index="All")
    masked.loc["All"] = tab.loc["All"]
    masked.to_csv(out("py_crosstab_primary_only.csv"))


def groupby_agg(rng):
    parts = []
    # (region, firms, typical turnover in GBP thousands)
    for region, n, scale in [("North East", 14, 900), ("North West", 31, 1200),
                             ("London", 45, 2500), ("Wales", 22, 800)]:
        parts.append(pd.DataFrame({"region": region,
                                   "turnover": np.round(rng.lognormal(np.log(scale), 0.5, n))}))
    # three firms only
    parts.append(pd.DataFrame({"region": "Isles of Scilly", "turnover": [310.0, 275.0, 190.0]}))
    # one firm is 97% of the region
    dominated = [96000.0] + [round(v) for v in rng.uniform(150, 350, 11)]
    parts.append(pd.DataFrame({"region": "Scotland", "turnover": dominated}))
    firms = pd.concat(parts, ignore_index=True)
    tab = firms.groupby("region").agg({"turnover": ["count", "sum", "mean", "max"]})
    tab[("turnover", "mean")] = tab[("turnover", "mean")].round(1)
    tab.to_csv(out("py_groupby_agg_multiheader.csv"))
    tab.columns = ["_".join(c) for c in tab.columns]
    tab.to_csv(out("py_groupby_agg.csv"))


def excel_unicode_text():
    # Welsh speakers aged 3+ by local authority (illustrative figures).
    rows = [("Ynys Môn", 38420, 28710), ("Gwynedd", 73560, 42180),
            ("Conwy", 30880, 80540), ("Sir Ddinbych", 22360, 68770),
            ("Sir y Fflint", 19120, 129860), ("Wrecsam", 16850, 112430),
            ("Ceredigion", 32120, 37010), ("Caerdydd", 43150, 308960)]
    lines = ["Local authority\tWelsh speakers\tNot Welsh speakers\tTotal"]
    for name, welsh, other in rows:
        lines.append(f"{name}\t{welsh}\t{other}\t{welsh + other}")
    text = "\r\n".join(lines) + "\r\n"
    with open(out("py_excel_unicode.tsv"), "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))


def latin1_labels():
    rows = [("Café and restaurant", "Under £10,000", 42),
            ("Café and restaurant", "£10,000 to £29,999", 57),
            ("Café and restaurant", "£30,000 or more", 6),
            ("Hotel and résidence", "Under £10,000", 31),
            ("Hotel and résidence", "£10,000 to £29,999", 64),
            ("Hotel and résidence", "£30,000 or more", 38)]
    with open(out("py_latin1_labels.csv"), "w", encoding="cp1252", newline="") as f:
        w = csv.writer(f)  # Excel's dialect: CRLF, quotes only where needed
        w.writerow(["Sector", "Annual pay", "Count"])
        w.writerows(rows)


def utf8_bom_crlf():
    df = pd.DataFrame({"age_band": ["16-24", "16-24", "25-49", "25-49", "50+", "50+"],
                       "sex": ["Female", "Male"] * 3,
                       "count": [145, 152, 388, 371, 264, 240]})
    df["percent"] = (100 * df["count"] / df.groupby("age_band")["count"].transform("sum")).round(1)
    df.to_csv(out("py_utf8_bom_crlf.csv"), index=False, encoding="utf-8-sig", lineterminator="\r\n")


def percent_only():
    df = pd.DataFrame({"region": ["North East", "North West", "London", "South West"],
                       "pct_employed": [71.2, 73.8, 75.1, 77.4],
                       "pct_unemployed": [4.9, 4.1, 4.6, 3.2]})
    df.to_csv(out("py_percent_only.csv"), index=False)


def rounded_totals():
    raw = pd.DataFrame({"Female": [23, 41, 67, 38], "Male": [27, 44, 61, 33]},
                       index=pd.Index(["Under 25", "25-44", "45-64", "65+"], name="age_band"))
    raw["Total"] = raw.sum(axis=1)
    raw.loc["Total"] = raw.sum(axis=0)
    rounded = (5 * np.round(raw / 5)).astype(int)  # each cell on its own
    rounded.to_csv(out("py_rounded_totals.csv"))


def unrecognised_column():
    df = pd.DataFrame({"local_authority": ["Leeds", "Bradford", "Wakefield", "Kirklees", "Calderdale"],
                       "n": [412, 288, 154, 201, 97],
                       "deprivation_score": [27.31, 34.12, 25.87, 24.56, 23.09]})
    df.to_csv(out("py_unrecognised_column.csv"), index=False)


def profit_by_sector():
    rows = [("Agriculture", 18, -1240.5), ("Construction", 44, 8820.0),
            ("Retail", 63, 15410.25), ("Accommodation and food", 27, -3385.0),
            ("Finance", 21, 40210.75)]
    with open(out("py_profit_by_sector.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sector", "n", "total_profit"])
        w.writerows(rows)


def sum_without_n(rng):
    regions = ["East Midlands", "London", "North West", "South East"]
    firms = pd.DataFrame({"region": np.repeat(regions, [23, 61, 37, 48]),
                          "sales": np.round(rng.lognormal(np.log(450), 0.6, 169), 1)})
    tab = firms.groupby("region").agg(total_sales=("sales", "sum"))
    tab["total_sales"] = tab["total_sales"].round(1)
    tab.to_csv(out("py_sum_without_n.csv"))


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = np.random.default_rng(20240601)
    crosstab_margins(rng)
    crosstab_small_counts(rng)
    groupby_agg(np.random.default_rng(7))
    excel_unicode_text()
    latin1_labels()
    utf8_bom_crlf()
    percent_only()
    rounded_totals()
    unrecognised_column()
    profit_by_sector()
    sum_without_n(np.random.default_rng(11))
    n = len([f for f in os.listdir(OUT_DIR) if f.startswith("py_")])
    print(f"wrote {n} Python tables to {OUT_DIR}")


if __name__ == "__main__":
    main()
