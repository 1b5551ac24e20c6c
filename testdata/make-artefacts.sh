#!/bin/sh
# make-artefacts.sh - regenerate the classifier's test artefacts (issue 4):
#
#   testdata/artefacts/models/     model files (doc/design.md, "Disallowed artefacts")         expected: fail
#   testdata/artefacts/data/       record-level data files          expected: fail
#   testdata/artefacts/disguised/  renamed, compressed, nested, appended,
#                                  base64/hex encoded, Office-embedded  fail
#   testdata/artefacts/bad/        broken and hostile input: a finding, never
#                                  a crash, hang or unbounded memory
#   testdata/benign/               honest outputs: pass or review, NEVER fail
#   testdata/artefacts/MANIFEST.tsv  one row per artefact:
#       path class format disguise made_by expected
#     expected: fail | review | pass-or-review (must not fail)
#               | review-or-fail (must not pass)
#
# Usage (from anywhere):
#   sh testdata/make-artefacts.sh              regenerate everything
#   sh testdata/make-artefacts.sh --deps       apt-get install what it needs, then regenerate
#   sh testdata/make-artefacts.sh --only data-formats
#                                              remake only the MATLAB, netCDF, dBase,
#                                              MessagePack and NumPy record files (needs
#                                              only numpy, pandas, scipy, netcdf4, dbf,
#                                              msgpack, hdf5storage, h5py); other rows stay
#
# This needs the HEAVY packages below (torch, sklearn, xgboost, R...). CI does
# not run it and does not need them: the results are small (about 1 MB in
# all) and committed. Run it only to change or add an artefact, then review
# and commit the diff.
#
# Made by the real libraries (Debian bookworm): pickle, joblib, torch, onnx,
# h5py, xgboost, numpy, pandas (.dta, sqlite, HDF5), feather-format (Feather
# V1), scipy (MAT v4/v5, netCDF classic), netCDF4 (CDF-5, netCDF-4),
# hdf5storage (MAT v7.3), python-dbf (dBase), msgpack,
# matplotlib, Pillow, python-docx, openpyxl, nbformat, R saveRDS/save,
# rpart, randomForest, haven (.dta .sav .zsav .sas7bdat .xpt), readstat,
# 7z, GNU tar. Formats whose writer is not packaged in Debian (safetensors,
# GGUF, TFLite, Core ML, CatBoost, skops, H2O MOJO, Spark ML, MLflow,
# SavedModel, TF checkpoints, Keras files, LightGBM, PMML, Parquet, Arrow IPC)
# are written from their published descriptions; the manifest says which.
#
# Reproducible: seeds are fixed and timestamps pinned; under faketime (used
# when installed) a re-run gives the same bytes, except bad/encrypted-headers.7z
# (7-Zip draws a random AES salt/IV).
#
# Not made: a zip quine (a zip that contains itself; needs a self-reproducing
# deflate stream and a CRC fixed point); bad/overlap-bomb.zip and
# bad/nested-10.zip stand in for self-similar expansion.
set -eu

DEPS="python3-sklearn python3-joblib python3-torch python3-onnx python3-h5py
python3-xgboost python3-numpy python3-pandas python3-matplotlib python3-openpyxl
python3-docx python3-feather-format python3-tables python3-lz4 python3-zstandard
python3-nbformat python3-pil python3-flatbuffers python3-scipy python3-netcdf4
python3-hdf5storage python3-dbf python3-msgpack p7zip-full readstat faketime
r-base-core r-cran-rpart r-cran-randomforest r-cran-haven"

cd "$(dirname "$0")/.."

if [ "${1:-}" = "--deps" ]; then
    apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $DEPS
fi

# Debian's python3-* packages are seen only by Debian's own interpreter.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

run() {
    if command -v faketime >/dev/null 2>&1; then
        faketime -f "2024-01-01 00:00:00" "$@"
    else
        echo "make-artefacts.sh: faketime not installed; .dta/.sav/.sas7bdat/.h5 headers get today's time" >&2
        "$@"
    fi
}

if [ "${1:-}" = "--only" ]; then
    run "$PY" testdata/make-artefacts.py --only "$2"
    exit 0
fi

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT INT TERM

if command -v Rscript >/dev/null 2>&1; then
    run Rscript testdata/make-artefacts.R "$rows"
else
    echo "make-artefacts.sh: no Rscript; keeping the committed R artefacts" >&2
    rm -f "$rows"
fi

if [ -f "$rows" ]; then
    run "$PY" testdata/make-artefacts.py --r-rows "$rows"
else
    run "$PY" testdata/make-artefacts.py
fi

du -sh testdata/artefacts testdata/benign
