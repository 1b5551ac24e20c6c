#!/usr/bin/python3
"""make-benign-traps.py - honest outputs that once failed, made with the real
tools (doc/design.md, "Identifiers"; issue 10, "No false fails").

    /usr/bin/python3 testdata/make-benign-traps.py

Run it from the repository root; it needs Debian's python3-matplotlib and
python3-nbformat. CI does NOT run it: the small results are committed under
testdata/benign/ with a row each in testdata/artefacts/MANIFEST.tsv
(expected: pass-or-review). The hand-written traps (notes.txt, results.md,
requirements.txt, save_model.py, save_model.R, references.md, metrics.json)
are committed as written.

matplotlib draws every glyph of a chart's text as an SVG path (svg.fonttype
"path", its default), and a glyph's outline is a run of integers: DejaVu
Sans' "a" holds "Q 384 513 384 1019", a valid NHS number in 3-3-4 groups.
So any chart with an "a" in a label carries one, in the SVG itself, in a
notebook that shows the chart as SVG and in an HTML page that inlines it.
"""

import os

os.environ.setdefault("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01, for matplotlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

B = "testdata/benign"
COUNTS = [("North East", 805), ("North West", 2125), ("London", 2735), ("Wales", 955)]


def chart_svg():
    plt.rcParams["svg.hashsalt"] = "sdccheck"
    fig, ax = plt.subplots(figsize=(4, 3), dpi=72)
    ax.bar([r for r, _ in COUNTS], [n for _, n in COUNTS])
    ax.set_ylabel("Number of people")
    ax.set_title("People by area")
    fig.tight_layout()
    path = os.path.join(B, "chart_glyphs.svg")
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    with open(path, encoding="utf-8") as f:
        return f.read()


def notebook(svg):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    code = nbformat.v4.new_code_cell(
        "%config InlineBackend.figure_formats = ['svg']\n"
        "ax = counts.plot.bar(title='People by area')", execution_count=1)
    code.id = "chart"
    code.outputs = [nbformat.v4.new_output(
        "display_data", data={"image/svg+xml": svg, "text/plain": "<Figure size 288x216>"})]
    nb.cells = [code]
    path = os.path.join(B, "notebook_svg.ipynb")
    nbformat.write(nb, path)


def html(svg):
    body = svg[svg.index("<svg"):]
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
            "<title>People by area</title></head>\n<body>\n<h1>People by area</h1>\n"
            "<p>Counts of people by area; every count is at least 10.</p>\n"
            + body + "</body>\n</html>\n")
    with open(os.path.join(B, "report_svg.html"), "w", encoding="utf-8") as f:
        f.write(page)


def main():
    svg = chart_svg()
    notebook(svg)
    html(svg)
    print("matplotlib", matplotlib.__version__, "nbformat", nbformat.__version__)


if __name__ == "__main__":
    main()
