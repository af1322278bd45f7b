"""The printed kit: the A4 poster and the A6 table cards, rendered to pictures by poppler and
their QR read back by zbarimg, as a phone's camera would read the printed page."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from workshop import kit, links, store

pytestmark = pytest.mark.slow_on_postgresql  # rendered pictures: the engine changes nothing here; both run in the full suite


def _decoded(pdf: bytes, folder, *, dpi: int) -> list[str]:
    """Every QR zbarimg finds on the PDF's pages, rendered at `dpi` into `folder`."""
    folder.mkdir()
    (folder / "kit.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(folder / "kit.pdf"), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", *map(str, pages)], capture_output=True, text=True)
    return out.stdout.split()


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_poster_and_cards_carry_the_walls_qr_the_code_and_the_address(db, tmp_path, language):
    w, _ = store.create_workshop(
        db,
        title="Journée Think&Do",
        language=language,
        question="Quels cas d'usage ?",
        public_base_url="http://192.168.1.20:8501",
    )
    poster, cards = kit.poster(w), kit.table_cards(w)
    assert _decoded(poster, tmp_path / "poster", dpi=100) == [links.join_url(w)]
    assert _decoded(cards, tmp_path / "cards", dpi=150) == [links.join_url(w)] * 4
    pages, text = _text(poster)
    assert pages == 1 and w.code in text and "192.168.1.20:8501" in text and "Journée Think&Do" in text
    expected = {"fr": ("Scannez pour participer", "restent des initiales"), "en": ("Scan to take part", "stay initials")}[
        language
    ]
    assert all(words in text for words in expected)
    pages, text = _text(cards)
    assert pages == 1 and text.count(w.code) == 4


def test_a_long_title_and_question_still_fit_one_page_with_a_readable_qr(db, tmp_path):
    w, _ = store.create_workshop(db, title="Très long titre 🎉 " * 6, question=("Une question qui n'en finit pas ; " * 9)[:300])
    store.update_workshop(db, w.id, show_labels=True)
    w = store.get_workshop(db, w.id)
    poster = kit.poster(w)
    pages, text = _text(poster)
    assert pages == 1 and w.code in text and "comme vous les notez" in text  # labels shown: the line says so
    assert _decoded(poster, tmp_path / "poster", dpi=100) == [links.join_url(w)]
