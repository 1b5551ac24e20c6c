// bench/duckdb-cube.mjs - DuckDB's side of bench/suppress.sh: the same
// table of every margin that `sdccheck protect` builds, from the same
// record file, written to a file so that none of the work is optimised away.
//
//   DUCKDB_NODE_DIR=DIR node bench/duckdb-cube.mjs IN.csv OUT.csv DIMS GROUPING VALUE
//
// DIR is where `npm install --prefix DIR @duckdb/node-api` put the package
// (bench/suppress.sh does that; it is not a build dependency). DIMS are the
// dimension columns, comma-separated; GROUPING is the GROUP BY clause, e.g.
// "CUBE(area, sex)" or "ROLLUP(country, region), CUBE(sex, age)"; VALUE is
// the magnitude column. Per cell: the record count, the sum of VALUE and its
// two largest values, as protect computes them (n, VALUE, VALUE_max1,
// VALUE_max2). On 2 threads (protect parses on every core of the 2-core
// benchmark machine). Prints "rows N": the cells written.
import { createRequire } from 'node:module';
import path from 'node:path';

const [input, output, dims, grouping, value] = process.argv.slice(2);
if (!value || !process.env.DUCKDB_NODE_DIR) {
    console.error('usage: DUCKDB_NODE_DIR=DIR node duckdb-cube.mjs IN.csv OUT.csv DIMS GROUPING VALUE');
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
const sql = `COPY (
    SELECT ${cols}, n, total AS ${v}, top[1] AS ${ident(value + '_max1')},
           coalesce(top[2], 0) AS ${ident(value + '_max2')}
    FROM (SELECT ${cols}, count(*) AS n, sum(${v}) AS total, max(${v}, 2) AS top
          FROM read_csv(${quote(input)}, header = true)
          GROUP BY ${grouping})
) TO ${quote(output)} (HEADER, DELIMITER ',')`;
const result = await db.runAndReadAll(sql);
const rows = result.getRows();
console.log(`rows ${rows.length ? rows[0][0] : '?'}`);
db.closeSync();
