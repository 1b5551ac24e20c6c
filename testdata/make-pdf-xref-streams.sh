#!/bin/sh
# make-pdf-xref-streams.sh - testdata/pdf/*-xs.pdf: three of the committed
# PDFs rewritten by a real tool with cross-reference streams (ISO 32000-1,
# 7.5.8) and object streams (7.5.7) instead of a cross-reference table, as
# PDF 1.5 writers (LibreOffice, pdfTeX, Word) make them.
#
#   sh testdata/make-pdf-xref-streams.sh     (needs qpdf: apt-get install qpdf)
#
# qpdf --object-streams=generate packs the objects it can into object
# streams and writes a cross-reference stream, deflated with the PNG Up
# predictor. The content is the same, so what sdccheck says of each is what
# it says of the original (tests/test_pdf_attach.c):
#   attached-model-xs.pdf  fail: model-file (attachment:model.pkl, the same
#                          bytes as testdata/artefacts/models/sklearn_logreg_p4.pkl)
#   attached-table-xs.pdf  review: the PDF itself; its counts.csv passes
#   nhs-number-xs.pdf      fail: identifier on page 1
# and each file specification passes the check made before poppler reads
# the attachments (read/pdf_measure.c: sdc_pdf_file_specs_check).
set -eu
cd "$(dirname "$0")/pdf"
command -v qpdf > /dev/null || {
    echo "make-pdf-xref-streams.sh: qpdf is needed (apt-get install qpdf)" >&2
    exit 1
}
for f in attached-model attached-table nhs-number; do
    qpdf --deterministic-id --object-streams=generate --compress-streams=y "$f.pdf" "$f-xs.pdf"
done
