"""Student-supplied markup made inert: HTML cleaned to an allowlist, maths turned into MathML.

Everything a submission holds is untrusted: its Markdown, the HTML its outputs carry, and the
LaTeX of its formulas. Pages we write quote none of it raw. HTML goes through nh3 (the Python
binding of ammonia, an allowlist sanitiser): no script, no event handler, no style, no frame,
no link to another scheme than the web's; images only as `data:image/...`. Formulas are turned
into MathML here, when the page is written (latex2mathml), so the page needs no script to show
them and no network; latex2mathml copies `\\text{...}` and `\\href` through as markup, so its
output is rebuilt element by element from a MathML allowlist.
"""
from __future__ import annotations

import html
import re
import secrets
import xml.etree.ElementTree as ET

import nh3
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

# Images may be inline data (what notebooks embed); any other URL keeps the web's schemes only.
URL_SCHEMES = nh3.ALLOWED_URL_SCHEMES | {"data"}
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);", re.I)

MATHML_TAGS = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
               "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
               "mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation", "merror"}
MATHML_ATTRIBUTES = {"display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
                     "width", "height", "depth", "columnalign", "rowalign", "rowspacing",
                     "columnspacing", "columnlines", "rowlines", "frame", "accent", "accentunder",
                     "minsize", "maxsize", "movablelimits", "symmetric", "largeop", "form",
                     "linethickness", "scriptlevel", "displaystyle", "notation", "encoding"}
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
# Environments latex2mathml does not know, and the ones it lays out the same way.
SAME_LAYOUT = {"aligned": "split", "gathered": "displaylines"}
BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "href") and value.lower().startswith("data:"):
        return value if element == "img" and DATA_IMAGE.match(value) else None
    return value


def clean(markup: str) -> str:
    """`markup` (student HTML) reduced to inert HTML: script and style content dropped whole."""
    return nh3.clean(markup, url_schemes=URL_SCHEMES, attribute_filter=_keep_attribute,
                     clean_content_tags={"script", "style"})


def math(tex: str, *, display: bool = False) -> str:
    """A LaTeX formula as MathML made only of allowlisted elements and attributes.

    A formula latex2mathml cannot read is shown as its escaped source in <code>.
    """
    for unknown, known in SAME_LAYOUT.items():
        tex = tex.replace(f"\\begin{{{unknown}}}", f"\\begin{{{known}}}").replace(f"\\end{{{unknown}}}", f"\\end{{{known}}}")
    try:  # a column separator it did not place is copied as a bare "&"
        tree = ET.fromstring(BARE_AMPERSAND.sub("&amp;", convert(tex, display="block" if display else "inline")))
    except Exception:  # latex2mathml raises many kinds on bad TeX; ET.ParseError on markup it copied
        return f"<code>{html.escape(tex)}</code>"
    return _mathml(tree)


def _mathml(element) -> str:
    tag = element.tag.removeprefix(MATHML_NS)
    inner = html.escape(element.text or "") + "".join(_mathml(child) + html.escape(child.tail or "")
                                                     for child in element)
    if tag not in MATHML_TAGS:  # e.g. <script> copied from \text{...}: its text stays, as text
        return inner
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in element.attrib.items()
                         if name in MATHML_ATTRIBUTES)
    return f"<{tag}{attributes}>{inner}</{tag}>"


class _Renderer(IPythonRenderer):
    """nbconvert's Markdown renderer with each formula left as a placeholder, filled after cleaning."""

    def __init__(self, attachments):
        super().__init__(escape=False, allow_harmful_protocols=False, exclude_anchor_links=True,
                         attachments=attachments)
        self.nonce = secrets.token_hex(8)
        self.formulas: list[str] = []

    def _hold(self, rendered: str) -> str:
        self.formulas.append(rendered)
        return f"math{self.nonce}n{len(self.formulas) - 1}e"

    def block_math(self, body):
        return self._hold(math(body, display=True))

    def latex_environment(self, name, body):
        return self._hold(math(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True))

    def inline_math(self, body):
        return self._hold(math(body))

    def block_mermaidjs(self, code):  # no diagram script on our pages: shown as code
        return f"<pre><code>{html.escape(code)}</code></pre>"

    def image(self, text, url, title=None):
        try:
            return super().image(text, url, title)
        except Exception:  # a missing attachment: say so rather than lose the cell
            return f"<em>[image {html.escape(url)} not in the notebook]</em>"


def markdown(source: str, attachments: dict | None = None) -> str:
    """Markdown (a cell or a text/markdown output) as inert HTML, formulas as MathML."""
    renderer = _Renderer(attachments or {})
    rendered = clean(MarkdownWithMath(renderer=renderer).render(source))
    return re.sub(f"math{renderer.nonce}n(\\d+)e", lambda m: renderer.formulas[int(m[1])], rendered)
