"""Words of an idea, in its own language: detection, lemmas that stay words, stop lists.

Ideas are read in the workshop languages (model.LANGUAGES) that simplemma knows. Each language
may have an entry of `STOP_WORDS` (function words and the generic verbs and nouns that every idea
uses: "mettre en place", "créer", "can", "what") and of the inflection rules below; a language
without one is still detected, its words kept as written (no lemma is better than a wrong one),
and synonyms are rows of workshop/static/synonyms.csv. The synonym table lets French and English ideas on
one subject meet: a row `bike,vélo` makes "bikes" count as "vélo" in themes and labels.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from pathlib import Path

import simplemma
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from workshop.model import LANGUAGES as WORKSHOP_LANGUAGES

_FRENCH = """
a à afin ai aie aient ainsi alors après as assez au aucun aucune auprès aussi autant autre autres aux
avait avant avec avoir ayant bien c ça car ce ceci cela celle celles celui cependant certain certaine
certaines certains ces cet cette ceux chacun chacune chaque chez ci comme comment d dans de déjà depuis
des dès desquels doit donc dont du elle elles en encore entre es est et étaient était étant été être eu
eux fait faire fois font grâce ici il ils j je jusqu jusque l la là laquelle le lequel les lesquels leur
leurs lors lorsque lui m ma mais me même mêmes mes moi moins mon n ne ni nos notre nous on ont ou où
par parce parmi pas pendant peu peut peuvent plus plusieurs pour pourquoi pourrait près puis qu quand
que quel quelle quelles quels qui quoi s sa sans se selon ses si sien soi soit son sont sous souvent
sur t ta tant te tel telle tels tes toi ton tous tout toute toutes très trop tu un une unes uns vers
via voici voilà vos votre vous y
ème er ère eme
mettre place créer création faire avoir aller pouvoir devoir vouloir permettre favoriser améliorer
développer proposer rendre donner prendre chose choses idée idées projet projets nouveau nouvelle
nouveaux nouvelles mise plein
"""

_ENGLISH = """
can could would should will shall may might must also just get got make made let lets use using used
via etc new idea ideas thing things way ways lot lots really much many one two three st nd rd th
create help improve develop provide set put
"""


def _simplemma_languages() -> frozenset[str]:
    """The languages simplemma has dictionaries for (a module constant of it, not public API)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:  # another simplemma layout: the languages this module has rules for
        return frozenset(STOP_WORDS)
    return frozenset(SUPPORTED_LANGUAGES)


STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(_FRENCH.split()),
    "en": frozenset(ENGLISH_STOP_WORDS) | frozenset(_ENGLISH.split()),
}
# The workshop languages this module reads (detection among them, lemmas in each).
LANGUAGES = tuple(code for code in WORKSHOP_LANGUAGES if code in _simplemma_languages())
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())

# A word: letters, with inner apostrophes or hyphens; runs glued to digits ("20ème") are not words.
_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w])", re.UNICODE)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
MAX_WORD = 30  # longer "words" (a pasted hash, a 280-letter joke) never become a label


@functools.cache
def synonyms() -> dict[str, str]:
    """term -> canonical, from static/synonyms.csv (terms compared case-folded)."""
    path = Path(__file__).resolve().parent / "static" / "synonyms.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["term"].casefold(): row["canonical"] for row in csv.DictReader(fh)}


@functools.lru_cache(maxsize=20_000)
def detect_language(text: str, *, default: str = "fr") -> str:
    """The idea's language among LANGUAGES; `default` when the text gives no clear answer.
    Remembered per text: every grouping and every placement of a new idea reads the room's
    ideas again, and detection was half of placing one idea among 500."""
    words = [w for w in _WORD.findall(_URL.sub(" ", text or "")) if len(w) > 1]
    if not words:
        return default
    scores = dict(simplemma.langdetect(" ".join(words[:60]), lang=LANGUAGES))
    best = max(LANGUAGES, key=lambda lang: (scores.get(lang, 0.0), lang == default))
    if scores.get(best, 0.0) <= scores.get(default, 0.0):
        return default
    return best


@functools.lru_cache(maxsize=50_000)
def lemma(word: str, lang: str = "fr") -> str:
    """A word's lemma in its own language; proper nouns and acronyms stay as written.

    A capitalised word is a name (Paris, Mars): kept. simplemma's answer is taken only when it is
    an inflection of the same word (a plural, a conjugated verb), never a different word
    (empreinte is not empreint, données is not donner).
    """
    if len(word) > 1 and word[0].isupper():
        return word
    low = word.casefold().replace("’", "'")
    if lang not in LANGUAGES:
        return low
    lem = simplemma.lemmatize(low, lang=lang).casefold()
    if lem == low or not simplemma.is_known(lem, lang=lang):
        return low
    return lem if _is_inflection(low, lem, lang) else low


# Endings an inflection drops: plurals, and in French the feminine of adjectives
# (professionnelles -> professionnel, locale -> local, sportive -> sportif), each only when
# simplemma's lemma is exactly the word without it (capitale, moyenne, vive stay as written).
_PLURALS = {
    "fr": (("s", ""), ("x", ""), ("aux", "al"), ("aux", "ail"))
    + tuple(
        (fem + plural, masc)
        for fem, masc in (("ale", "al"), ("elle", "el"), ("enne", "en"), ("euse", "eux"), ("ive", "if"), ("ère", "er"))
        for plural in ("", "s")
    ),
    "en": (("s", ""), ("es", ""), ("ies", "y"), ("ves", "f")),
}
_VERB_FORMS = {
    "fr": ("ons", "ez", "ent", "ait", "aient", "ais", "ant", "erai", "era", "eront", "ir", "is", "it"),
    "en": ("ing", "ed", "es", "s"),
}
_VERB_LEMMA = {"fr": ("er", "ir", "re"), "en": ("",)}


def _is_inflection(word: str, lem: str, lang: str) -> bool:
    """True when `lem` is `word` without a plural or a verb ending (not another word)."""
    for ending, replacement in _PLURALS.get(lang, ()):
        if word.endswith(ending) and word[: -len(ending)] + replacement == lem:
            return True
    if word.endswith(("é", "ée", "és", "ées")):  # participles are nouns here: salariés -> salarié
        return False
    if not word.endswith(_VERB_FORMS.get(lang, ())):
        return False
    for ending in _VERB_LEMMA.get(lang, ()):
        stem = lem[: len(lem) - len(ending)] if ending else lem
        if lem.endswith(ending) and len(stem) >= 3 and word.startswith(stem[: max(3, len(stem) - 1)]):
            return True
    return False


def canonical(word: str, lang: str = "fr") -> str:
    """The synonym table's word for this lemma (bikes -> bike -> vélo), else the lemma."""
    table = synonyms()
    low = word.casefold()
    if low in table:
        return table[low]
    lem = lemma(word, lang)
    return table.get(lem.casefold(), lem)


def proper_names(texts: Iterable[str]) -> frozenset[str]:
    """Words the room writes capitalised inside a sentence (Paris, Garonne), case-folded."""
    names = set()
    for text in texts:
        for position, word in enumerate(_WORD.findall(_URL.sub(" ", text or ""))):
            if position and word[:1].isupper() and not word.isupper():
                names.add(word.casefold())
    return frozenset(names)


def tokens(text: str, *, lang: str | None = None, default: str = "fr", names: frozenset[str] = frozenset()) -> list[str]:
    """Content words of a text as canonical lemmas: URLs, stop words and elisions (l', d') dropped.

    `names`: proper_names() of the room, so that a title starting with "Paris" keeps Paris.
    """
    text = _URL.sub(" ", text or "")
    lang = lang or detect_language(text, default=default)
    stop = STOP_WORDS.get(lang, ALL_STOP_WORDS)
    out = []
    for position, raw in enumerate(_WORD.findall(text)):
        for part in re.split(r"['’]", raw):
            if len(part) < 2 or len(part) > MAX_WORD or part.casefold() in stop:
                continue
            # The first word of a title is capitalised by habit, not because it is a name.
            initial = position == 0 and not part.isupper() and part.casefold() not in names
            lem = canonical(part.casefold() if initial else part, lang)
            if lem.casefold() not in stop and len(lem) > 1:
                out.append(lem)
    return out
