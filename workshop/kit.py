"""The printed kit for the day: an A4 poster for the door and a sheet of four A6 table cards, each
with the same QR as the wall, the code, the address to type and one line on privacy, in the
workshop's language."""

from __future__ import annotations

import io

from workshop import links
from workshop.i18n import format_date, t
from workshop.model import Workshop
from workshop.report import Printed

A4 = (210.0, 297.0)  # mm
A6 = (105.0, 148.5)
INK = (17, 17, 17)
ACCENT = (31, 95, 191)  # the app's primary colour


def _qr_png(url: str) -> io.BytesIO:
    """The wall's QR (links.qr) as a PNG sharp enough to print at 15 cm."""
    out = io.BytesIO()
    links.qr(url).save(out, kind="png", scale=24, border=4, dark="#111111")
    out.seek(0)
    return out


def _fitted(doc: Printed, text: str, *, width: float, start: float, smallest: float, style: str = "B") -> None:
    """Set the largest font size from `start` down to `smallest` at which `text` fits in 3 lines."""
    size = start
    while size > smallest:
        doc.set_font("DejaVu", style, size)
        if len(doc.multi_cell(width, size * 0.45, text, dry_run=True, output="LINES")) <= 3:
            return
        size -= 2
    doc.set_font("DejaVu", style, smallest)


def _block(doc: Printed, w: Workshop, url: str, *, x: float, y: float, width: float, height: float, scale: float) -> None:
    """One card's content in the box at (x, y), `width` × `height` mm; `scale` 1 is the poster.
    The QR takes what the texts leave (a 120-character title and a 300-character question fit)."""
    lang = w.language
    doc.set_text_color(*INK)
    doc.set_xy(x, y)
    _fitted(doc, w.title, width=width, start=34 * scale, smallest=max(11, 18 * scale))
    doc.multi_cell(width, doc.font_size_pt * 0.45, w.title, align="C", new_x="LEFT", new_y="NEXT")
    if w.question:
        doc.set_x(x)
        doc.set_font("DejaVu", "I", max(9, 18 * scale))
        doc.multi_cell(
            width, max(9, 18 * scale) * 0.45, w.question[:300], align="C", new_x="LEFT", new_y="NEXT", max_line_height=12
        )
    doc.ln(3 * scale)
    doc.set_x(x)
    doc.set_font("DejaVu", "B", max(10, 22 * scale))
    doc.set_text_color(*ACCENT)
    doc.multi_cell(width, 11 * scale, t("kit.scan", lang), align="C", new_x="LEFT", new_y="NEXT")
    below = 80 * scale + 8  # the address, the code and the privacy line
    side = max(30.0, min(width * 0.78, 150 * scale, y + height - doc.get_y() - below))
    doc.image(_qr_png(url), x=x + (width - side) / 2, y=doc.get_y() + 2, w=side, h=side, keep_aspect_ratio=True)
    doc.set_y(doc.get_y() + side + 4)
    doc.set_text_color(*INK)
    doc.set_x(x)
    doc.set_font("DejaVu", "", max(9, 16 * scale))
    doc.multi_cell(width, 8 * scale, t("kit.or_type", lang), align="C", new_x="LEFT", new_y="NEXT")
    doc.set_x(x)
    doc.set_font("DejaVu", "B", max(10, 22 * scale))
    doc.multi_cell(width, 11 * scale, links.base_url(w).split("://", 1)[-1], align="C", new_x="LEFT", new_y="NEXT")
    doc.set_x(x)
    doc.set_font("DejaVu", "", max(9, 16 * scale))
    doc.multi_cell(width, 8 * scale, t("kit.code", lang), align="C", new_x="LEFT", new_y="NEXT")
    doc.set_x(x)
    doc.set_font("DejaVu", "B", max(22, 54 * scale))
    doc.set_text_color(*ACCENT)
    doc.multi_cell(width, 24 * scale, w.code, align="C", new_x="LEFT", new_y="NEXT")
    doc.set_text_color(*INK)
    doc.set_x(x)
    doc.set_font("DejaVu", "", max(7, 12 * scale))
    privacy = t("kit.privacy_labels" if w.show_labels else "kit.privacy", lang, date=format_date(w.retention_date, lang))
    doc.multi_cell(width, 6 * scale, privacy, align="C", new_x="LEFT", new_y="NEXT")


def _page(w: Workshop) -> Printed:
    """A new one-page document titled and in the workshop's language (read aloud correctly)."""
    doc = Printed()
    doc.set_auto_page_break(auto=False)
    doc.set_title(w.title)
    doc.set_lang(w.language)
    doc.add_page()
    return doc


def poster(w: Workshop) -> bytes:
    """One A4 page: the question, a 15 cm QR, the code and the address to type."""
    doc = _page(w)
    _block(doc, w, links.join_url(w), x=15, y=14, width=A4[0] - 30, height=A4[1] - 24, scale=1.0)
    return bytes(doc.output())


def table_cards(w: Workshop) -> bytes:
    """Four A6 cards on an A4 sheet (cut along the grey lines), the same content smaller."""
    doc = _page(w)
    doc.set_draw_color(190, 190, 190)
    doc.line(A6[0], 0, A6[0], A4[1])
    doc.line(0, A6[1], A4[0], A6[1])
    for col in range(2):
        for row in range(2):
            _block(
                doc, w, links.join_url(w), x=col * A6[0] + 8, y=row * A6[1] + 7, width=A6[0] - 16, height=A6[1] - 12, scale=0.45
            )
    return bytes(doc.output())
