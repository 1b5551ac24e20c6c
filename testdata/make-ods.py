#!/usr/bin/python3
"""make-ods.py - OpenDocument spreadsheets as pandas writes them (engine
"odf", odfpy), for the ODS sheets read as tables (doc/design.md, "Office
parts"). The verdict of each sheet is worked out from its cells:

  region_sex.ods   counts by region and sex, all 12 or more: passes the
                   threshold rule (10); a second sheet of notes is text.
  small_counts.ods the same table with one count of 3 (North East, F):
                   fails the threshold rule at that cell.
  people.ods       testdata/artefacts/data/people.csv (200 people with an
                   id and a date of birth) as a sheet: record-level data.

Needs python3-pandas and python3-odf; run from the repository root:

    /usr/bin/python3 testdata/make-ods.py
"""
import pandas as pd

OUT = "testdata/ods"
counts = pd.DataFrame({
    "region": ["North East", "North West", "London", "South West"],
    "F": [12, 40, 55, 31],
    "M": [15, 38, 61, 29],
})
notes = pd.DataFrame({"Notes": ["Source: example survey, 2025",
                                "Counts of people by region and sex"]})
with pd.ExcelWriter(OUT + "/region_sex.ods", engine="odf") as w:
    counts.to_excel(w, sheet_name="Counts", index=False)
    notes.to_excel(w, sheet_name="Notes", index=False)
small = counts.copy()
small.loc[0, "F"] = 3
with pd.ExcelWriter(OUT + "/small_counts.ods", engine="odf") as w:
    small.to_excel(w, sheet_name="Counts", index=False)
people = pd.read_csv("testdata/artefacts/data/people.csv", dtype=str)
with pd.ExcelWriter(OUT + "/people.ods", engine="odf") as w:
    people.to_excel(w, sheet_name="People", index=False)


def fixed_dates(path):
    """The same zip with every member dated 2025-01-01 (odfpy stamps the
    time of writing), mimetype first and stored, as OpenDocument asks."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = (zipfile.ZIP_STORED if info.filename == "mimetype"
                                   else zipfile.ZIP_DEFLATED)
            z.writestr(fixed, data)


for name in ("region_sex", "small_counts", "people"):
    fixed_dates(OUT + "/" + name + ".ods")
