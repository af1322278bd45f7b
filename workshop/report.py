"""The readable PDF report of a workshop (fpdf2, DejaVu from matplotlib's own fonts: accents,
œ, « », € render without any system font)."""

from __future__ import annotations

import functools
import io
import os
import unicodedata

from fpdf import FPDF
from fpdf.fonts import FontFace

from workshop import network
from workshop.i18n import circle_words, count, field, quote, say, t
from workshop.rooms import Reading


def _font_dir() -> str:
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf")


MISSING_GLYPH = "□"  # drawn where the font has no glyph (emoji, CJK): visible, never silent


@functools.cache
def _covered() -> frozenset[int]:
    """Code points DejaVu Sans can draw (its character map)."""
    from fontTools.ttLib import TTFont

    with TTFont(os.path.join(_font_dir(), "DejaVuSans.ttf"), lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """Text with every character the font cannot draw replaced by MISSING_GLYPH; an emoji
    sequence (joined by ZWJ, with variation selectors or skin tones) is marked once."""
    covered = _covered()
    out: list[str] = []
    joining = False
    for ch in text:
        if out and out[-1] == MISSING_GLYPH and (ch in "\u200d\ufe0f" or unicodedata.category(ch) in ("Mn", "Sk")):
            joining = joining or ch == "\u200d"  # modifiers of what was just marked: nothing to add
        elif ord(ch) in covered or ch in "\n\t":
            out.append(ch)
            joining = False
        elif joining and out and out[-1] == MISSING_GLYPH:
            joining = False
        else:
            out.append(MISSING_GLYPH)
    return "".join(out)


class Printed(FPDF):
    """An A4 document in DejaVu (regular, bold, italic) where every character the font cannot
    draw becomes □: the report, the poster and the table cards."""

    def normalize_text(self, text: str) -> str:
        """Every piece of text fpdf2 draws passes here: undrawable characters become □."""
        clean = printable(text)
        self.marked = self.marked or MISSING_GLYPH in clean
        return super().normalize_text(clean)

    def __init__(self) -> None:
        self.marked = False  # some character was drawn as MISSING_GLYPH (set before fpdf draws anything)
        super().__init__(format="A4")
        fonts = _font_dir()
        self.add_font("DejaVu", "", os.path.join(fonts, "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", os.path.join(fonts, "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", os.path.join(fonts, "DejaVuSans-Oblique.ttf"))


class _Report(Printed):
    def __init__(self, title: str, lang: str) -> None:
        super().__init__()
        self.report_title, self.lang = title, lang
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 8, f"{self.report_title} — {self.page_no()}/{{nb}}", align="C")

    def h1(self, text: str) -> None:
        self.set_font("DejaVu", "B", 20)
        self.multi_cell(0, 10, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def h2(self, text: str) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", 14)
        self.multi_cell(0, 8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)

    def para(self, text: str, *, style: str = "") -> None:
        self.set_font("DejaVu", style, 10)
        self.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def table(self, rows: list[list[str]], widths: tuple[int, ...]) -> None:  # type: ignore[override]
        self.set_font("DejaVu", "", 9)
        with super().table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"), text_align="LEFT") as tbl:
            for row in rows:
                r = tbl.row()
                for cell in row:
                    r.cell(str(cell))


def pdf(reading: Reading, *, data: dict, level: str, network_png: bytes, themes_png: bytes) -> bytes:
    """Title, date, question, counters, network picture, reach, bridges and sleeping capital,
    themes with representative ideas and votes, collectifs, matched offers and needs, and what
    changed since the previous workshop: all from the bundle's one reading of the room."""
    w = reading.workshop
    lang = w.language
    # Names as the export level shows them (keyed pseudonyms below 'full').
    people = {p["id"]: p["display_name"] for p in data.get("participants", [])}
    doc = _Report(w.title, lang)
    doc.alias_nb_pages()
    doc.add_page()
    doc.h1(f"{t('rep.title', lang)} — {w.title}")
    doc.para(field(t("rep.date", lang), w.created_at[:10], lang))
    if w.question:
        doc.para(field(t("rep.question", lang), quote(w.question, lang), lang), style="I")
    _counters(doc, reading.counters, lang)
    _network_pages(doc, reading.analysis, people, lang=lang, level=level, network_png=network_png)
    doc.add_page()
    _themes_pages(doc, reading, lang=lang, level=level, themes_png=themes_png)
    _collectifs(doc, reading.rows["collectifs"], people, lang=lang, level=level)
    _matches(doc, reading.analysis, people, lang=lang, level=level)
    if reading.comparison:
        _comparison(doc, reading.comparison, lang)
    if doc.marked:
        doc.ln(4)
        doc.para(t("rep.missing_glyph", lang, mark=MISSING_GLYPH), style="I")
    return bytes(doc.output())


def _counters(doc: _Report, c: dict, lang: str) -> None:
    """The room in five numbers."""
    doc.h2(t("rep.counters", lang))
    doc.table(
        [
            [
                t("con.participants", lang),
                t("proj.contacts", lang),
                t("proj.ideas", lang),
                t("proj.votes", lang),
                t("con.collectifs", lang),
            ],
            [str(c["participants"]), str(c["contacts"]), str(c["ideas"]), str(c["voters"]), str(c["collectifs"])],
        ],
        (40, 35, 35, 35, 35),
    )


def _network_pages(doc: _Report, analysis, people: dict, *, lang: str, level: str, network_png: bytes) -> None:
    """The network's picture, reach, bridges, brokers, sleeping capital and tie diversity."""
    doc.h2(t("rep.network", lang))
    doc.image(io.BytesIO(network_png), w=doc.epw)
    doc.para(
        f"{analysis.graph.vcount()} {t('net.nodes', lang)}, {analysis.graph.ecount()} {t('net.edges', lang)}, "
        f"{analysis.communities} {t('net.communities', lang)}, {len(analysis.bridge_contacts)} {t('proj.bridges', lang)}."
    )

    doc.h2(t("rep.reach", lang))
    for dim, key in (("circle", "net.by.circle"), ("region", "net.by.region"), ("sector", "net.by.sector")):
        items = list(analysis.collective_reach[dim].items())[:8]
        if items:
            names = [t(f"circle.{k}", lang) if dim == "circle" else k for k, _ in items]
            doc.para(field(t(key, lang), ", ".join(f"{n} ({v})" for n, (_, v) in zip(names, items, strict=True)), lang))

    doc.h2(t("rep.bridges", lang))
    bridges = analysis.bridge_contacts[:10]
    if bridges:
        doc.para(t("net.bridge_contacts", lang), style="B")
        for b in bridges:
            label = b["label"] if level == "full" else f"#{b['key']}"
            doc.para(f"• {label} — {b['count']} ({', '.join(b['known_by'])})" if level == "full" else f"• {label} — {b['count']}")
    brokers = analysis.brokers[:8]
    if brokers:
        doc.para(t("net.brokers", lang), style="B")
        for b in brokers:
            why = (
                t("net.links_groups", lang, n=b["groups"]) if b["census"] else f"{b['communities']} {t('net.communities', lang)}"
            )
            doc.para(f"• {people.get(int(b['key'][1:]), b['key'])} — {why}")
    if analysis.sleeping_capital:
        doc.para(t("net.dormant", lang), style="B")
        doc.para(", ".join(f"{t(f'circle.{k}', lang)} ({v})" for k, v in analysis.sleeping_capital.items()))
    div = analysis.tie_diversity["room"]
    shares = (
        f"{t('net.weak', lang)} {div['weak']:.0%}, {t('net.strong', lang)} {div['strong']:.0%}, "
        f"{t('net.cross_circle', lang)} {div['cross_circle']:.0%}, {t('net.cross_region', lang)} {div['cross_region']:.0%}"
    )
    doc.para(field(t("net.diversity", lang), shares, lang))


def _themes_pages(doc: _Report, reading: Reading, *, lang: str, level: str, themes_png: bytes) -> None:
    """Each theme by votes, its representative ideas and who in the room can help."""
    room = reading.room
    doc.h2(t("rep.themes", lang))
    doc.image(io.BytesIO(themes_png), w=doc.epw * 0.9)
    cards = sorted(reading.cards, key=lambda x: (-x["votes"], -x["ideas"], x["id"]))
    names = dict(zip(room.participants["id"], room.participants["display_name"], strict=True))
    if not cards:
        doc.para(t("rep.none", lang))
    index = network.help_index(room.contacts, circle_words=circle_words())
    for card in cards:
        ideas = count(card["ideas"], "th.one_idea", "th.n_ideas", lang)
        doc.para(f"{card['label']} — {ideas}, {count(card['votes'], 'th.one_dot', 'th.n_dots', lang)}", style="B")
        for text in card["representative"]:
            doc.para(f"   {quote(text, lang)}")
        needs = network.who_can_help(card["asked"], index, texts=card["texts"])
        helped = say(network.describe_help(needs, names, anonymous=level != "full"), lang)
        if helped:
            doc.para("   " + helped, style="I")


def _collectifs(doc: _Report, groups: list, people: dict, *, lang: str, level: str) -> None:
    """Each collectif, its members and next steps as the export level shows them."""
    doc.h2(t("rep.collectifs", lang))
    if not groups:
        doc.para(t("rep.none", lang))
    for group in groups:
        doc.para(group["name"], style="B")
        if level != "aggregate":
            doc.para(field(t("me.members", lang), ", ".join(people.get(m["id"], "?") for m in group["members"]), lang))
            for step in group["next_steps"]:
                owner = people.get(step["participant_id"], step["owner"]) if level != "full" else step["owner"]
                doc.para(f"→ {step['text']} — {owner} {step['due_date']}")
        else:
            doc.para(
                f"{len(group['members'])} {t('me.members', lang).lower()}, {len(group['next_steps'])} {t('me.steps', lang).lower()}"
            )


def _matches(doc: _Report, analysis, people: dict, *, lang: str, level: str) -> None:
    """Offers matched to needs, through whom."""
    doc.h2(t("rep.matches", lang))
    matches = analysis.skill_matches[:25]
    if not matches or level == "aggregate":
        doc.para(t("rep.none", lang) if not matches else f"{len(analysis.skill_matches)}")
    else:
        for m in matches:
            via = people.get(m["via_id"], "?")
            who = via if not m["contact"] else f"{via} → {m['contact'] if level == 'full' else '#'}"
            doc.para(t("net.offers", lang, who=who, skill=m["skill"], seeker=people.get(m["seeker_id"], "?")))


def _comparison(doc: _Report, comparison: dict, lang: str) -> None:
    """What changed since the previous workshop."""
    doc.h2(t("rep.comparison", lang))
    doc.para(field(t("cmp.participants", lang), len(comparison["new_participants"]), lang))
    doc.para(field(t("cmp.contacts", lang), comparison["new_contacts"], lang))
    doc.para(field(t("cmp.bridges", lang), comparison["new_bridges"], lang))
    reach = ", ".join(f"{k} {v['before']}→{v['after']}" for k, v in comparison["reach"].items())
    doc.para(field(t("cmp.reach", lang), reach, lang))
