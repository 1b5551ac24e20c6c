"""html_page.py FILE [SNIPPET] - checks an HTML page `sdccheck -f html`
wrote (or the DOM a browser rendered from it) against sdccheck-report(5),
HTML, with Python's own html.parser, hashlib and base64, then runs SNIPPET
(Python) with the parsed page in scope. Exits 1 with a message on the first
thing wrong. Run by tests/test_report_html.c.

What every page must be, checked here on each:
  - a document: <!DOCTYPE html>, <html lang>, <meta charset="utf-8">, a
    Content-Security-Policy of default-src 'none' whose script hash is the
    SHA-256 of the one inline script;
  - self-contained: no element that loads anything (img, link, iframe,
    object, embed, base, audio, video, source), no src, srcset, action,
    data or poster attribute, every href a fragment (#id) of this page, no
    url( or @import in the style;
  - linked: ids unique, every #fragment an id of the page; each highlighted
    cell (td.hit) links to findings whose data-cell is that cell, and each
    finding with a data-cell links back to it;
  - keyboard: the first link of the body is the skip link to #files.

In SNIPPET's scope: `root` (the tree), `els(tag, cls=None, root=root)`,
`by_id`, `text(el)`, `classes(el)`, `section(suffix)` (the file's section
whose path ends so), `hits(section)` ({(row, col): (set of rule classes,
cell text)}), `body_rows(section)` (the data table's body rows that are not
gaps, each a list of cell texts, a highlighted cell's without its marks), `findings(section)`, `raw` (the page's
text), `expect`.
"""
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []  # Elements and str


class Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [], None)
        self.current = self.root
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        el = Element(tag, attrs, self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        el = self.current
        while el is not self.root and el.tag != tag:
            el = el.parent
        if el is self.root:
            fail("an end tag </%s> closes nothing" % tag)
        self.current = el.parent

    def handle_data(self, data):
        self.current.children.append(data)


def fail(message):
    sys.stderr.write("html_page.py: %s\n" % message)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def walk(el):
    for child in el.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def text(el):
    return "".join(c if isinstance(c, str) else text(c) for c in el.children)


def classes(el):
    return set(el.attrs.get("class", "").split())


with open(sys.argv[1], encoding="utf-8") as handle:
    raw = handle.read()
builder = Builder()
builder.feed(raw)
builder.close()
root = builder.root
every = list(walk(root))


def els(tag, cls=None, root=root):
    return [e for e in walk(root) if e.tag == tag and (cls is None or cls in classes(e))]


# ---- a document
expect(builder.doctype is not None and builder.doctype.lower() == "doctype html", "no doctype")
htmls = els("html")
expect(len(htmls) == 1 and htmls[0].attrs.get("lang"), "not one <html lang>")
expect(any(m.attrs.get("charset", "").lower() == "utf-8" for m in els("meta")), "no charset")
csp = [m.attrs.get("content", "") for m in els("meta")
       if m.attrs.get("http-equiv", "").lower() == "content-security-policy"]
expect(len(csp) == 1, "no Content-Security-Policy")
expect("default-src 'none'" in csp[0], "the policy does not start from nothing: %s" % csp[0])
scripts = els("script")
expect(len(scripts) == 1, "%d scripts" % len(scripts))
digest = base64.b64encode(hashlib.sha256(text(scripts[0]).encode("utf-8")).digest()).decode()
expect("script-src 'sha256-%s'" % digest in csp[0], "the script's hash is not the policy's")

# ---- self-contained
for e in every:
    expect(e.tag not in {"img", "link", "iframe", "object", "embed", "base", "audio", "video",
                         "source", "frame", "frameset", "applet", "portal"},
           "an element that loads something: <%s>" % e.tag)
    for name in ("src", "srcset", "action", "data", "poster", "formaction", "background",
                 "ping", "xlink:href"):
        expect(name not in e.attrs, "<%s %s=...>" % (e.tag, name))
    href = e.attrs.get("href")
    expect(href is None or href.startswith("#"), "a link out of the page: %r" % href)
    for name, value in e.attrs.items():
        expect(not name.startswith("on"), "an event handler attribute: %s" % name)
        expect(value is None or "javascript:" not in value.lower(), "javascript: in %s" % name)
styles = els("style")
expect(len(styles) == 1, "%d style elements" % len(styles))
expect("url(" not in text(styles[0]) and "@import" not in text(styles[0]), "the style loads")
expect(not re.search(r"https?:|//[a-z]", text(scripts[0])), "the script names a host")

# ---- linked
by_id = {}
for e in every:
    if "id" in e.attrs:
        expect(e.attrs["id"] not in by_id, "id %r twice" % e.attrs["id"])
        by_id[e.attrs["id"]] = e
for e in every:
    href = e.attrs.get("href")
    if href:
        expect(href[1:] in by_id, "a link to no id: %r" % href)
for td in els("td", "hit"):
    links = [a.attrs["href"][1:] for a in els("a", root=td)]
    expect(links, "a highlighted cell without a link: %r" % td.attrs.get("id"))
    for target in links:
        g = by_id[target]
        expect("finding" in classes(g), "cell %s links to %s, not a finding" %
               (td.attrs["id"], target))
        expect(g.attrs.get("data-cell") == td.attrs["id"],
               "cell %s links to finding %s, which is about %r" %
               (td.attrs["id"], target, g.attrs.get("data-cell")))
for g in els("li", "finding"):
    cell = g.attrs.get("data-cell")
    if cell:
        back = [a for a in els("a", root=g) if a.attrs.get("href") == "#" + cell]
        expect(back, "finding %s does not link to its cell %s" % (g.attrs["id"], cell))
        expect(by_id[cell].tag == "td" and "hit" in classes(by_id[cell]),
               "finding %s: %s is not a highlighted cell" % (g.attrs["id"], cell))

# ---- keyboard
body_links = [e for e in walk(els("body")[0]) if e.tag in ("a", "button", "input")]
expect(body_links and body_links[0].tag == "a" and body_links[0].attrs.get("href") == "#files",
       "the first link is not the skip link to #files")
expect("files" in by_id, "no #files")


def section(suffix):
    found = [s for s in els("section", "file")
             if text(els("span", "path", root=s)[0]).endswith(suffix)]
    expect(len(found) == 1, "sections ending %r: %d" % (suffix, len(found)))
    return found[0]


def hits(sec):
    out = {}
    for td in els("td", "hit", root=sec):
        m = re.fullmatch(r"c\d+-(\d+)-(\d+)", td.attrs["id"])
        expect(m, "cell id %r" % td.attrs["id"])
        value = text(els("a", root=td)[0])
        out[(int(m.group(1)), int(m.group(2)))] = (
            {c[len("rule-"):] for c in classes(td) if c.startswith("rule-")}, value)
    return out


def body_rows(sec):
    table = els("table", "data", root=sec)
    expect(len(table) == 1, "not one data table")
    rows = []
    for tr in els("tr", root=els("tbody", root=table[0])[0]):
        if "gap" in classes(tr):
            continue
        rows.append([text(els("a", root=c)[0]) if "hit" in classes(c) else text(c)
                     for c in tr.children if isinstance(c, Element)])
    return rows


def findings(sec):
    return els("li", "finding", root=sec)


if len(sys.argv) > 2:
    scope = {"root": root, "els": els, "by_id": by_id, "text": text, "classes": classes,
             "section": section, "hits": hits, "body_rows": body_rows, "findings": findings,
             "raw": raw, "expect": expect, "re": re, "hashlib": hashlib}
    try:
        exec(sys.argv[2], scope)
    except AssertionError as error:
        fail("snippet: %s" % error)
