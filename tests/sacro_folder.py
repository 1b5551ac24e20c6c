"""sacro_folder.py DIR [SNIPPET] - checks a folder `sdccheck -f sacro` wrote
against what SACRO-Viewer reads (sdccheck-report(5), SACRO-VIEWER
FOLDER), with Python's own json, csv and hashlib, then runs SNIPPET (Python)
with `results`, `folder`, `record(suffix)` (the record whose uid ends so)
and `rows(record)` (its copy's CSV rows) in scope. Exits 1 with a message on
the first thing wrong. Run by tests/test_report_sacro.c.
"""
import csv
import glob
import hashlib
import json
import os
import re
import sys

folder = sys.argv[1]


def fail(message):
    sys.stderr.write("sacro_folder.py: %s\n" % message)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


with open(os.path.join(folder, "results.json"), encoding="utf-8") as handle:
    top = json.load(handle)
expect(isinstance(top, dict), "results.json is not an object")
expect(re.fullmatch(r"0\.4\.\d+", str(top.get("version"))), "version is not 0.4.x")
expect(isinstance(top.get("sdccheck_version"), str), "no sdccheck_version")
results = top.get("results")
expect(isinstance(results, dict), "results is not an object")

# Exactly one JSON file of ACRO's shape: the viewer refuses two.
acro_shaped = []
for path in glob.glob(os.path.join(folder, "*.json")):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except ValueError:
        fail("%s is not JSON (the viewer would crash on it)" % path)
    if isinstance(data, dict) and "version" in data and "results" in data:
        acro_shaped.append(path)
expect(len(acro_shaped) == 1, "ACRO-shaped JSON files: %r" % acro_shaped)

ACRO_CHECKS = ["negative", "missing", "threshold", "p-ratio", "nk-rule", "all-values-are-same"]
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?"


def rows(rec):
    name = rec["files"][0]["name"]
    with open(os.path.join(folder, name), encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


for uid, rec in results.items():
    where = "record %r" % uid
    expect(isinstance(rec, dict), where + " is not an object")
    expect(rec.get("uid") == uid, where + ": uid differs from its key")
    expect(rec.get("status") in ("pass", "fail", "review"), where + ": status")
    expect(rec.get("type") in ("table", "custom"), where + ": type")
    expect(isinstance(rec.get("properties"), dict), where + ": properties is not an object")
    expect(isinstance(rec["properties"].get("method"), str), where + ": properties.method")
    files = rec.get("files")
    expect(isinstance(files, list) and len(files) > 0, where + ": files empty")
    for entry in files:
        name = entry.get("name")
        expect(isinstance(name, str) and name, where + ": files[].name")
        expect("/" not in name and not name.startswith("."), where + ": name not bare: %r" % name)
        expect(os.path.isfile(os.path.join(folder, name)), where + ": %r not in the folder" % name)
        expect(isinstance(entry.get("sdc"), dict), where + ": files[].sdc")
    expect(isinstance(rec.get("outcome"), dict), where + ": outcome")
    expect(isinstance(rec.get("command"), str), where + ": command")
    summary = rec.get("summary")
    expect(isinstance(summary, str), where + ": summary")
    expect(summary.split("; ")[0] == rec["status"], where + ": summary %r" % summary)
    expect(isinstance(rec.get("timestamp"), str), where + ": timestamp")
    expect(re.fullmatch(ISO, rec["timestamp"]), where + ": timestamp %r" % rec["timestamp"])
    comments = rec.get("comments")
    expect(isinstance(comments, list), where + ": comments is not a list")
    expect(all(isinstance(c, str) for c in comments), where + ": a comment is not a string")
    expect(isinstance(rec.get("exception"), str), where + ": exception")
    if rec["type"] != "table":
        expect(rec["files"][0]["sdc"] == {}, where + ": a custom record's sdc is not {}")
        continue
    sdc = rec["files"][0]["sdc"]
    expect(isinstance(sdc.get("summary"), dict), where + ": sdc.summary")
    expect(isinstance(sdc.get("cells"), dict), where + ": sdc.cells")
    expect(isinstance(sdc["summary"].get("suppressed"), bool), where + ": sdc.summary.suppressed")
    for check in ACRO_CHECKS:
        expect(type(sdc["summary"].get(check)) is int, where + ": sdc.summary[%r]" % check)
        expect(isinstance(sdc["cells"].get(check), list), where + ": sdc.cells[%r]" % check)
    expect(set(sdc["summary"]) == set(sdc["cells"]) | {"suppressed"}, where + ": sdc keys")
    expect(rec["files"][0]["name"].lower().endswith(".csv"), where + ": a table that is no .csv")
    table = rows(rec)
    for check, cells in sdc["cells"].items():
        expect(sdc["summary"][check] >= len(cells), where + ": %s counts fewer than its cells" % check)
        for cell in cells:
            expect(isinstance(cell, list) and len(cell) == 2, where + ": cell %r" % (cell,))
            expect(all(type(v) is int and v >= 0 for v in cell), where + ": cell %r" % (cell,))
            r, c = cell
            # the viewer: row r is line r + 1 after one header line, col c
            # is field c + 1 after one label column
            expect(r + 1 < len(table) and c + 1 < len(table[r + 1]),
                   where + ": cell %r is outside the copy" % (cell,))

# Every file in the folder has its checksum: 64 lowercase hex, no newline.
for name in os.listdir(folder):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        continue
    sum_path = os.path.join(folder, "checksums", name + ".txt")
    expect(os.path.isfile(sum_path), "no checksum for %r" % name)
    with open(sum_path, "rb") as handle:
        text = handle.read()
    expect(re.fullmatch(rb"[0-9a-f]{64}", text), "checksum of %r is %r" % (name, text))
    with open(path, "rb") as handle:
        expect(hashlib.sha256(handle.read()).hexdigest().encode() == text,
               "checksum of %r does not match" % name)

with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
    config = json.load(handle)
expect(isinstance(config, dict), "config.json is not an object")
expect(all(not isinstance(v, (dict, list)) for v in config.values()), "config.json is not flat")
expect(isinstance(config.get("safe_threshold"), (int, float)), "config.json: safe_threshold")


def record(suffix):
    found = [rec for uid, rec in results.items() if uid.endswith(suffix)]
    expect(len(found) == 1, "records ending %r: %d" % (suffix, len(found)))
    return found[0]


if len(sys.argv) > 2:
    try:
        exec(sys.argv[2], {"results": results, "folder": folder, "record": record, "rows": rows,
                           "expect": expect, "os": os, "json": json})
    except AssertionError as error:
        fail("snippet: %s" % error)
