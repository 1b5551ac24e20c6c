#!/bin/sh
# detection-table.sh - runs sdccheck on every row of testdata/artefacts/MANIFEST.tsv
# and prints the detection table (format x disguise -> caught) as Markdown,
# then the benign count. Run from the repository root after `make`:
#   sh testdata/detection-table.sh [path/to/sdccheck]
set -eu
bin=${1:-build/sdccheck}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tail -n +2 testdata/artefacts/MANIFEST.tsv | while IFS='	' read -r path class format disguise made expected; do
    "$bin" -q -f json -o "$tmp/r.json" "$path" 2>/dev/null || true
    got=$(sed -n 's/^  "verdict": "\([a-z]*\)".*/\1/p' "$tmp/r.json" | head -n 1)
    case "$expected:$got" in
        fail:fail | review:review | review-or-fail:review | review-or-fail:fail | \
        pass-or-review:pass | pass-or-review:review) ok=1 ;;
        *) ok=0 ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$class" "$format" "$disguise" "$ok" "$got"
done > "$tmp/rows"
for cls in model data bad; do
    echo
    echo "| $cls format | disguises (caught / made) |"
    echo "|---|---|"
    awk -F '\t' -v c="$cls" '$1 == c {
            key = $2; d = $3
            n[key, d]++; k[key, d] += $4; if (!(key in seen)) { seen[key] = 1; order[++m] = key }
            if (!((key, d) in dseen)) { dseen[key, d] = 1; ds[key] = ds[key] (ds[key] ? " " : "") d }
        }
        END {
            for (i = 1; i <= m; i++) {
                key = order[i]; line = ""
                split(ds[key], list, " ")
                for (j = 1; list[j] != ""; j++) {
                    d = list[j]
                    line = line (line ? ", " : "") d " " k[key, d] "/" n[key, d]
                }
                printf "| %s | %s |\n", key, line
            }
        }' "$tmp/rows"
done
echo
awk -F '\t' '$1 != "benign" { t++; c += $4 } $1 == "benign" { b++; if ($5 == "fail") f++; if ($5 == "pass") p++ }
    END { printf "Artefacts judged as expected: %d of %d. Benign outputs: %d, of which %d pass, %d review, %d fail (false fails).\n", c, t, b, p, b - p - f, f }' "$tmp/rows"
