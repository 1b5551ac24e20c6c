/*
 * schema.c - the ledger's tables, one step per schema version
 * (sdccheck-ledger(5) documents each).
 *
 * A step is only ever added, never edited: a ledger written by an older
 * sdccheck is brought up to date by running the steps after its
 * user_version, in one transaction. Version 1 held releases and their
 * files; version 2 adds the file's format and container, the report's
 * time, and the tables a release holds (dimensions, categories, cells,
 * suppressed cells as unknowns with bounds), indexed by dimension name so
 * that the tables sharing a dimension with a new one are found without a
 * scan.
 */
#include "ledger/ledger_internal.h"

const char *const sdc_ledger_steps[SDC_LEDGER_SCHEMA_VERSION] = {
    /* 1 */
    "CREATE TABLE release (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  released_at TEXT NOT NULL,\n"
    "  reviewer TEXT NOT NULL,\n"
    "  comment TEXT,\n"
    "  approval TEXT,\n"
    "  verdict TEXT NOT NULL,\n"
    "  report_sha256 TEXT NOT NULL,\n"
    "  tool_version TEXT,\n"
    "  policy_name TEXT,\n"
    "  policy TEXT\n"
    ");\n"
    "CREATE TABLE file (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  release_id INTEGER NOT NULL REFERENCES release(id),\n"
    "  path TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  size INTEGER NOT NULL,\n"
    "  class TEXT NOT NULL,\n"
    "  verdict TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX file_by_path ON file(path);\n"
    "CREATE INDEX file_by_sha256 ON file(sha256);\n"
    "CREATE INDEX file_by_release ON file(release_id);\n",
    /* 2 */
    "ALTER TABLE release ADD COLUMN report_created TEXT;\n"
    "ALTER TABLE file ADD COLUMN format TEXT;\n"
    "ALTER TABLE file ADD COLUMN container TEXT;\n"
    "CREATE TABLE released_table (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  file_id INTEGER NOT NULL UNIQUE REFERENCES file(id),\n"
    "  rows INTEGER,\n"
    "  columns INTEGER,\n"
    "  shape TEXT,\n"
    "  delimiter TEXT,\n"
    "  measure TEXT\n"
    ");\n"
    "CREATE TABLE table_dimension (\n"
    "  table_id INTEGER NOT NULL REFERENCES released_table(id),\n"
    "  position INTEGER NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  PRIMARY KEY (table_id, position)\n"
    ");\n"
    "CREATE INDEX dimension_by_name ON table_dimension(name, table_id);\n"
    "CREATE TABLE dimension_category (\n"
    "  table_id INTEGER NOT NULL,\n"
    "  position INTEGER NOT NULL,\n"
    "  ordinal INTEGER NOT NULL,\n"
    "  label TEXT NOT NULL,\n"
    "  is_total INTEGER NOT NULL DEFAULT 0,\n"
    "  parent INTEGER,\n"
    "  PRIMARY KEY (table_id, position, ordinal),\n"
    "  FOREIGN KEY (table_id, position) REFERENCES table_dimension(table_id, position)\n"
    ");\n"
    "CREATE TABLE table_cell (\n"
    "  table_id INTEGER NOT NULL REFERENCES released_table(id),\n"
    "  coordinates TEXT NOT NULL,\n"
    "  value REAL,\n"
    "  suppressed INTEGER NOT NULL DEFAULT 0,\n"
    "  lower REAL,\n"
    "  upper REAL,\n"
    "  is_total INTEGER NOT NULL DEFAULT 0,\n"
    "  PRIMARY KEY (table_id, coordinates)\n"
    ") WITHOUT ROWID;\n",
};
