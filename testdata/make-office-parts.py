#!/usr/bin/python3
"""make-office-parts.py - workbooks whose boilerplate parts are not what
their names say (doc/design.md, "Office parts").

Each is testdata/benign/table.xlsx (openpyxl) with one part replaced, written
back with Python's zipfile; ECMA-376 says what each part must be: Part 2
(the package: [Content_Types].xml is <Types>, relationships parts are
<Relationships>, no DTD in any part, 8.1.4) and Part 1's schemas (a style
sheet is <styleSheet>, a theme <theme>). Run from the repository root:

    /usr/bin/python3 testdata/make-office-parts.py
"""
import os
import zipfile

SRC = "testdata/benign/table.xlsx"
OUT = "testdata/artefacts/bad/office"

RECORDS = "".join('<r id="%d" age="%d" sex="%s"/>' % (i, 20 + i % 50, "MF"[i % 2])
                  for i in range(1, 41))

VARIANTS = {
    # a relationships part that is plain text
    "rels_not_xml.xlsx": {"xl/_rels/workbook.xml.rels":
                          b"these are notes, not relationships: id 1 age 34 sex F\n"},
    # a style sheet that is well-formed XML of another kind: records
    "styles_wrong_root.xlsx": {"xl/styles.xml":
                               ('<?xml version="1.0" encoding="UTF-8"?>\n<records>%s</records>\n'
                                % RECORDS).encode()},
    # a theme with a DTD and an entity
    "theme_dtd.xlsx": {"xl/theme/theme1.xml":
                       b'<?xml version="1.0"?>\n<!DOCTYPE a:theme [<!ENTITY x "data">]>\n'
                       b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
                       b' name="Office">&x;</a:theme>\n'},
    # text in the document-properties folder
    "docprops_text.xlsx": {"docProps/notes.txt": b"id,age,sex\n1,34,F\n2,51,M\n"},
    # a part cut short
    "content_types_cut.xlsx": {"[Content_Types].xml":
                               b'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://'
                               b'schemas.openxmlformats.org/package/2006/content-types"><Default '},
}


def main():
    os.makedirs(OUT, exist_ok=True)
    src = zipfile.ZipFile(SRC)
    for name, parts in VARIANTS.items():
        with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = parts.get(info.filename, src.read(info.filename))
                # a fresh ZipInfo: writestr updates the one it is given
                z.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
            for part, data in parts.items():
                if part not in src.namelist():
                    z.writestr(zipfile.ZipInfo(part, date_time=(2026, 12, 1, 0, 0, 0)), data)


if __name__ == "__main__":
    main()
