#!/bin/sh
# depcycles.sh OBJ... - the cycles between object files, from their symbols.
#
# An object A depends on B when A uses (nm: U) a symbol that B defines.
# Data should flow one way (doc/design.md, "Layers"), so this graph must
# have no cycle: every group of objects that reach each other is printed,
# with the symbols that tie it, and the exit status is 1. The same is then
# asked of the stages (the folders under src/lib, an object's name up to
# its '/'): a stage may use the stages below it, never one above. With
# STAGE_ORDER set (the stages, lowest first, as doc/design.md "Layers"
# lists them), every use must also point to a stage earlier in that order.
# With no cycle it prints the counts and exits 0.
#
#   sh tools/depcycles.sh build/lib/*/*.o
set -eu
if [ $# -eq 0 ]; then
    echo "usage: depcycles.sh OBJ..." >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
    name=${o#*lib/}
    name=${name%.o}
    nm -g --defined-only "$o" | awk -v o="$name" 'NF == 3 { print $3, o }'
done | sort > "$tmp/defs"
for o in "$@"; do
    name=${o#*lib/}
    name=${name%.o}
    nm -u "$o" | awk -v o="$name" '{ print $2, o }'
done | sort > "$tmp/uses"
# "user definer symbol" for every use resolved inside the set.
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3, $1 }' | sort -u > "$tmp/edges"

cycles() {
    awk -v what="$1" '

{
    if (!(($1, $2) in adj)) {
        adj[$1, $2] = 1
        out[$1] = out[$1] " " $2
        nedges++
    }
    why[$1, $2] = why[$1, $2] (why[$1, $2] == "" ? "" : ", ") $3
    node[$1] = 1
    node[$2] = 1
}
function reach_from(s,    stack, top, v, n, i, parts) {
    delete seen
    top = 0
    stack[++top] = s
    while (top > 0) {
        v = stack[top--]
        n = split(out[v], parts, " ")
        for (i = 1; i <= n; i++)
            if (!(parts[i] in seen)) {
                seen[parts[i]] = 1
                stack[++top] = parts[i]
            }
    }
    for (v in seen)
        reach[s, v] = 1
}
END {
    for (v in node)
        reach_from(v)
    ncycles = 0
    for (v in node) {
        if (v in grouped || !((v, v) in reach))
            continue
        members = ""
        for (w in node)
            if ((v, w) in reach && (w, v) in reach) {
                grouped[w] = 1
                members = members " " w
            }
        n = split(members, m, " ")
        # sort the members for a stable listing
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && m[j - 1] > m[j]; j--) {
                t = m[j]; m[j] = m[j - 1]; m[j - 1] = t
            }
        ncycles++
        line = m[1]
        for (i = 2; i <= n; i++)
            line = line " <-> " m[i]
        print what " cycle " ncycles ": " line
        for (i = 1; i <= n; i++)
            for (j = 1; j <= n; j++)
                if ((m[i], m[j]) in adj)
                    print "    " m[i] " -> " m[j] ": " why[m[i], m[j]]
    }
    if (ncycles) {
        print ncycles " cycle" (ncycles == 1 ? "" : "s") " between " what "s: data must flow one way (doc/design.md)"
        exit 1
    }
    print "depcycles: " length(node) " " what "s, " nedges " dependencies between them, no cycles"
}
    ' "$2"
}
# Stages: "check/pass" -> "check"; a use within one stage is not a stage edge.
awk '{ split($1, a, "/"); split($2, b, "/"); if (a[1] != b[1]) print a[1], b[1], $3 }' \
    "$tmp/edges" | sort -u > "$tmp/stages"
status=0
cycles object "$tmp/edges" || status=1
cycles stage "$tmp/stages" || status=1
if [ -n "${STAGE_ORDER:-}" ]; then
    awk -v order="$STAGE_ORDER" '
    BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
    {
        if (!($1 in rank) || !($2 in rank)) {
            print "stage " (($1 in rank) ? $2 : $1) " is not in STAGE_ORDER"; bad = 1; next
        }
        if (rank[$2] >= rank[$1] && !(($1, $2) in seen)) {
            seen[$1, $2] = 1
            print "stage " $1 " uses " $2 ", which STAGE_ORDER lists after it: " $3; bad = 1
        }
    }
    END {
        if (bad) exit 1
        print "depcycles: every stage uses only the stages before it: " order
    }' "$tmp/stages" || status=1
fi
exit $status
