// bench/duckdb-cube.mjs - DuckDB's side of bench/suppress.sh: the same
// table of every margin that `sdccheck protect` builds, from the same
// record file, written to a file so that none of the work is optimised away.
//
//   DUCKDB_NODE_DIR=DIR node bench/duckdb-cube.mjs IN.csv OUT.csv DIMS GROUPING VALUE [QUERY]
//
// DIR is where `npm install --prefix DIR @duckdb/node-api` put the package
// (bench/suppress.sh does that; it is not a build dependency). DIMS are the
// dimension columns, comma-separated; GROUPING is the GROUP BY clause, e.g.
// "CUBE(area, sex)" or "ROLLUP(country, region), CUBE(sex, age)"; VALUE is
// the magnitude column. Per cell, as protect computes them: the record
// count n, the sum of VALUE and its two largest values (VALUE_max1,
// VALUE_max2; 0 when there is one). QUERY says how:
//   cube    (default) GROUP BY GROUPING straight over the records
//   staged  the full cells first (GROUP BY DIMS), then GROUPING over them,
//           as protect builds its margins: far fewer rows to group when
//           there are many grouping sets
//   sum     as cube, with only the count and the sum
// On 2 threads (protect parses on every core of the 2-core benchmark
// machine). Prints "rows N": the cells written.
import { createRequire } from 'node:module';
import path from 'node:path';

const [input, output, dims, grouping, value, what = 'cube'] = process.argv.slice(2);
if (!value || !process.env.DUCKDB_NODE_DIR || !['cube', 'staged', 'sum'].includes(what)) {
    console.error(
        'usage: DUCKDB_NODE_DIR=DIR node duckdb-cube.mjs IN.csv OUT.csv DIMS GROUPING VALUE [cube|staged|sum]'
    );
    process.exit(2);
}
const require = createRequire(path.join(path.resolve(process.env.DUCKDB_NODE_DIR), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const ident = (s) => '"' + s.replaceAll('"', '""') + '"';
const cols = dims.split(',').map(ident).join(', ');
const v = ident(value);

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run('SET threads = 2');
await db.run(`SET temp_directory = ${quote(output + '.tmp')}`);
const records = `read_csv(${quote(input)}, header = true)`;
const max1 = ident(value + '_max1');
const max2 = ident(value + '_max2');
let query;
if (what === 'sum') {
    query = `SELECT ${cols}, count(*) AS n, sum(${v}) AS ${v} FROM ${records} GROUP BY ${grouping}`;
} else if (what === 'cube') {
    query = `SELECT ${cols}, n, total AS ${v}, top[1] AS ${max1}, coalesce(top[2], 0) AS ${max2}
             FROM (SELECT ${cols}, count(*) AS n, sum(${v}) AS total, max(${v}, 2) AS top
                   FROM ${records} GROUP BY ${grouping})`;
} else {
    // staged: the full cells first, then every margin from them, as protect
    // builds its table. The second largest of a margin is the larger of the
    // second largest of its cells' largest and the largest of their seconds.
    query = `WITH cells AS (
                 SELECT ${cols}, count(*) AS n, sum(${v}) AS total, max(${v}, 2) AS top
                 FROM ${records} GROUP BY ${cols})
             SELECT ${cols}, n, total AS ${v}, m1[1] AS ${max1},
                    greatest(coalesce(m1[2], 0), coalesce(m2, 0)) AS ${max2}
             FROM (SELECT ${cols}, sum(n) AS n, sum(total) AS total, max(top[1], 2) AS m1,
                          max(top[2]) AS m2
                   FROM cells GROUP BY ${grouping})`;
}
const sql = `COPY (${query}) TO ${quote(output)} (HEADER, DELIMITER ',')`;
const result = await db.runAndReadAll(sql);
const rows = result.getRows();
console.log(`rows ${rows.length ? rows[0][0] : '?'}`);
db.closeSync();
