#!/usr/bin/python3
"""Makes testdata/ingest/: files coming into the environment, for
tests/test_ingest.c (`sdccheck ingest`).

    /usr/bin/python3 testdata/make-ingest.py

Needs Debian's python3-pandas and python3-openpyxl (for the Stata file
and the workbook) only; the rest is the standard library. The outputs are committed, so the tests need neither.
What each file holds, and so what the tests expect, is written here.
"""
import datetime
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ingest")
FIXED = (2024, 1, 2, 3, 4, 6)  # zip members' dates, so the bytes never change


def write(name, text):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        f.write(text)


def main():
    os.makedirs(OUT, exist_ok=True)

    # Record-level data: five variables, twelve records (fewer than ten
    # in a cell would fail `check`; coming in, the table rules do not apply).
    survey = "age,sex,region,income,blood_pressure\n" + "".join(
        "%d,%s,%s,%d,%d\n" % (20 + 3 * i, "FM"[i % 2], ["North", "South", "Wales"][i % 3],
                              18000 + 1000 * i, 110 + i)
        for i in range(12))
    write("survey.csv", survey)

    # An aggregate table with a count of 3: `check` fails it (threshold);
    # coming in, the table rules do not apply.
    write("small_counts.csv", "region,count\nNorth,3\nSouth,25\nWales,14\n")

    # The request approved four of them, in other letter cases, and one
    # that is not delivered (ethnicity); comments and a blank line.
    write("approved.txt", "# external data request 2024/17\nAGE\n  Sex  \n\nRegion\n"
                          "income\n# not delivered:\nethnicity\n")
    # All five as a CSV whose first column is the names, under a header.
    write("approved_all.csv", "variable,description\nAge,age in years\nSEX,sex\n"
                              "region,region of residence\nIncome,annual income\n"
                              "Blood_Pressure,systolic (mmHg)\n")

    # Direct identifiers: NHS numbers with valid modulus-11 check digits
    # (9434765919, 4010232137, 9876543210: worked out in the test's
    # comment) and postcodes in capitals.
    write("patients.csv", "nhs_number,postcode,age\n9434765919,SW1A 1AA,34\n"
                          "4010232137,M1 1AE,51\n9876543210,B33 8TH,47\n")

    # A zip delivering the survey and a pickled scikit-learn model (an
    # existing artefact, made by make-artefacts.py).
    with open(os.path.join(HERE, "artefacts", "models", "sklearn_logreg_p4.pkl"), "rb") as f:
        model = f.read()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("delivery/survey.csv", FIXED), survey)
        z.writestr(zipfile.ZipInfo("delivery/model.pkl", FIXED), model)
    with open(os.path.join(OUT, "delivery.zip"), "wb") as f:
        f.write(buf.getvalue())

    # A Stata file of three variables: age, sex and bmi (not approved).
    import pandas as pd

    # The survey as a workbook (openpyxl): one sheet, "Survey", the same
    # five variables on its first row.
    rows = [line.split(",") for line in survey.strip().split("\n")]
    frame = pd.DataFrame([[int(v) if v.isdigit() else v for v in r] for r in rows[1:]],
                         columns=rows[0])
    frame.to_excel(os.path.join(OUT, "survey.xlsx"), sheet_name="Survey", index=False,
                   engine="openpyxl")

    df = pd.DataFrame({"age": [34, 51, 47], "sex": ["F", "M", "F"], "bmi": [22.5, 27.1, 24.0]})
    df.to_stata(os.path.join(OUT, "clinic.dta"), write_index=False, version=118,
                time_stamp=datetime.datetime(2024, 1, 2, 3, 4))


if __name__ == "__main__":
    main()
