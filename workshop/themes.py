"""Ideas into themes, offline and by meaning, across French and English.

Two signals per pair of ideas, averaged: the cosine of their sentence vectors (a multilingual
model, `embed`, centred over the room so that what every idea shares does not count) and the
cosine of their TF-IDF word features (lemmas in each idea's own language, synonyms table).
The number of themes follows the room: communities of the nearest-neighbour graph (Leiden,
modularity, seeded), a theme holding more than a third of the room split again, at most 12.
The facilitator can still ask for a number (average linkage then cuts the tree there).
Labels: each theme's most specific lemmas (c-TF-IDF); representatives: ideas near its centre and
unlike each other.
Deterministic: same ideas, same themes.
"""

from __future__ import annotations

import functools
import random
import threading
from collections import Counter
from collections.abc import Sequence

import igraph as ig
import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import hstack
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from workshop import embed, lexicon
from workshop.model import LIMITS

TEXT_WEIGHT = 0.5  # share of the word signal; the rest is the sentence vectors' (measured in bench/themes.py)
NEIGHBOURS = 10  # edges per idea in the graph the themes are found in
LARGEST_SHARE = 1 / 3  # a theme above this share of the room (12 ideas or more) is split again
MAX_THEMES = 12
REPEAT_PENALTY = 0.5  # a representative's likeness to one already shown, weighed against its centrality
CORE_QUANTILE = 0.75  # a theme's cards come from its ideas at least this central (its top quarter)
REWORDING = 0.4  # likeness above which a representative would be a rewording of one already shown
NAME_WEIGHT = 1.0  # a named theme's typed name counts as much as one of its example ideas
EXTRA_FIT = 0.1  # a block liking its theme's other ideas less than this share of its own cohesion stands apart
DOUBT_MARGIN = 0.02  # a new idea whose two nearest themes are closer than this is marked "to check"
REFINE_ROUNDS = 10
_graph_rng = threading.Lock()  # igraph's random generator is process-wide: one seeded run at a time


def _docs(texts: Sequence[str], language: str) -> list[str]:
    names = lexicon.proper_names(texts)
    return [" ".join(lexicon.tokens(t, default=language, names=names)) for t in texts]


def features(texts: Sequence[str], *, language: str = "fr"):
    """L2-normalised TF-IDF of lemmas (1-2 grams) joined with character 3-5 grams of the lemmas."""
    docs = [d or "_" for d in _docs(texts, language)]
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")
    return normalize(hstack([words.fit_transform(docs), 0.6 * chars.fit_transform(docs)]).tocsr())


def similarity(texts: Sequence[str], vectors: np.ndarray, *, language: str = "fr") -> np.ndarray:
    """Pairwise similarity of the ideas: TEXT_WEIGHT × word cosine + the rest × centred vector cosine."""
    matrix = features(texts, language=language)
    words = (matrix @ matrix.T).toarray()
    np.clip(words, 0.0, 1.0, out=words)
    centred = normalize(vectors - vectors.mean(axis=0)) if len(vectors) > 2 else normalize(vectors)
    sim = TEXT_WEIGHT * words + (1 - TEXT_WEIGHT) * (centred @ centred.T)
    sim = (sim + sim.T) / 2
    np.fill_diagonal(sim, 1.0)
    return sim


def _renumber(raw: Sequence[int]) -> list[int]:
    """Cluster numbers in order of first appearance, so the numbering is stable."""
    order: dict[int, int] = {}
    return [order.setdefault(int(c), len(order)) for c in raw]


def _communities(sim: np.ndarray) -> np.ndarray:
    """Leiden communities (modularity, seeded) of the graph joining each idea to its nearest ones."""
    n = len(sim)
    k = min(NEIGHBOURS, n - 1)
    others = sim.copy()
    np.fill_diagonal(others, -np.inf)
    nearest = np.argsort(-others, axis=1, kind="stable")[:, :k]
    weights: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in nearest[i]:
            pair = (min(i, int(j)), max(i, int(j)))
            weights[pair] = max(float(sim[i, j]), 1e-3)  # near-zero similarity is still a neighbour
    graph = ig.Graph(n=n, edges=list(weights))
    graph.es["weight"] = list(weights.values())
    with _graph_rng:
        ig.set_random_number_generator(random.Random(0))
        parts = graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    return np.asarray(parts.membership)


def _split_largest(sim: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Split any theme holding more than LARGEST_SHARE of the room in its own communities."""
    labels = labels.copy()
    n = len(labels)
    for _ in range(MAX_THEMES):
        sizes = np.bincount(labels)
        big = int(np.argmax(sizes))
        if n < 12 or sizes[big] <= LARGEST_SHARE * n:
            break
        members = np.flatnonzero(labels == big)
        parts = _communities(sim[np.ix_(members, members)])
        if len(set(parts.tolist())) < 2:
            break
        for part in sorted(set(parts.tolist()) - {int(parts[0])}):
            labels[members[parts == part]] = labels.max() + 1
    return labels


def _merge_smallest(sim: np.ndarray, labels: np.ndarray, cap: int) -> np.ndarray:
    """Fold the smallest themes into their most similar neighbour until at most `cap` remain."""
    labels = labels.copy()
    while len(set(labels.tolist())) > cap:
        ids = sorted(set(labels.tolist()), key=lambda c: ((labels == c).sum(), c))
        small = ids[0]
        mine = labels == small
        best = max(ids[1:], key=lambda c: (sim[np.ix_(mine, labels == c)].mean(), -c))
        labels[mine] = best
    return labels


def cluster_texts(
    texts: Sequence[str],
    *,
    n_clusters: int | None = None,
    max_clusters: int = MAX_THEMES,
    vectors: np.ndarray | None = None,
    language: str = "fr",
) -> list[int]:
    """A theme number per text (0..k-1), deterministic.

    Parameters
    ----------
    texts : the ideas, in a fixed order (e.g. by id)
    n_clusters : force k (capped to the number of distinct texts); None lets the room decide
    max_clusters : the most themes chosen automatically
    vectors : the texts' sentence vectors (embed.vectors); computed when not given
    language : the workshop's language, for ideas whose own language is unclear
    """
    n = len(texts)
    if n == 0:
        return []
    # The same idea posted many times is one point: it lands with its copies and weighs once.
    keys = [" ".join((t or "").casefold().split()) for t in texts]
    unique = list(dict.fromkeys(keys))
    first = {k: i for i, k in reversed(list(enumerate(keys)))}
    if len(unique) < 3:
        groups = list(range(len(unique))) if n_clusters and n_clusters >= len(unique) else [0] * len(unique)
        by_key = dict(zip(unique, groups, strict=True))
        return _renumber([by_key[k] for k in keys])
    distinct = [texts[first[k]] for k in unique]
    if vectors is None:
        vectors = embed.vectors(distinct)
    else:
        vectors = np.asarray(vectors)[[first[k] for k in unique]]
    sim = similarity(distinct, vectors, language=language)
    if n_clusters:
        dist = np.clip(1.0 - sim, 0.0, None)
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(dist, checks=False), method="average")
        raw = fcluster(tree, t=min(n_clusters, len(unique)), criterion="maxclust")
    else:
        raw = _merge_smallest(sim, _split_largest(sim, _communities(sim)), max_clusters)
    by_key = dict(zip(unique, raw.tolist(), strict=True))
    return _renumber([by_key[k] for k in keys])


def theme_labels(texts: Sequence[str], labels: Sequence[int], *, top: int = 3, language: str = "fr") -> dict[int, str]:
    """A readable label per cluster from its most specific lemmas ('vélo · piste · Garonne')."""
    clusters = sorted(set(labels))
    if not clusters:
        return {}
    docs = _docs(texts, language)
    joined = [" ".join(docs[i] for i in range(len(texts)) if labels[i] == c).strip() for c in clusters]
    fallback = {c: _short(texts[list(labels).index(c)]) for c in clusters}
    if not any(joined):
        return fallback
    counter = CountVectorizer(token_pattern=r"\S+", lowercase=False)
    counts = counter.fit_transform(joined).toarray().astype(float)
    words_per_class = counts.sum(axis=1)
    tf = counts / np.maximum(words_per_class[:, None], 1)  # c-TF-IDF: tf per class, L1-normalised
    idf = np.log(1 + words_per_class.mean() / np.maximum(counts.sum(axis=0), 1))
    # How much of a word's use is this theme's: a word every theme uses says nothing of any.
    share = counts / np.maximum(counts.sum(axis=0), 1)
    presence = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, vocabulary=counter.vocabulary_)
    in_ideas = presence.fit_transform([d or "_" for d in docs]).toarray()
    members = [np.flatnonzero(np.asarray(labels) == c) for c in clusters]
    scores = tf * idf * share
    vocab = counter.get_feature_names_out()
    out = {}
    for row, c in enumerate(clusters):
        # A word from a single idea of a larger theme speaks for that idea, not the theme.
        spread = in_ideas[members[row]].sum(axis=0)
        needed = 2 if len(members[row]) >= 4 else 1
        order = sorted(range(len(vocab)), key=lambda j: (-scores[row, j], vocab[j]))
        words: list[str] = []
        for j in order:
            if len(words) == top or scores[row, j] <= 0:
                break
            if spread[j] >= needed and not any(_same_word(vocab[j], w) for w in words):
                words.append(vocab[j])
        out[c] = _short(" · ".join(words)) if words else fallback[c]
    return out


def _same_word(a: str, b: str) -> bool:
    """Two forms of one word that lemmas keep apart: croisée and croisé, sport and sportif."""
    a, b = _form_key(a), _form_key(b)
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3)


def _form_key(word: str) -> str:
    """Two forms of one word that lemmas keep apart (croisée, croisé) share this key."""
    word = word.casefold()
    word = word[:-1] if len(word) > 4 and word.endswith("s") else word
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _short(text: str) -> str:
    """A label within the theme limit, cut at a word with an ellipsis."""
    text = " ".join((text or "?").split()) or "?"
    limit = min(40, LIMITS["theme"])
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ·") + "…"


def representatives(
    texts: Sequence[str], labels: Sequence[int], *, k: int = 3, vectors: np.ndarray | None = None, language: str = "fr"
) -> dict[int, list[int]]:
    """Indices of k texts per cluster, best first, all from its core (its most central quarter of
    ideas, CORE_QUANTILE): the one nearest its centre (highest mean similarity), then each next one
    central but unlike those already chosen (maximal marginal relevance), so three rewordings of
    one idea do not fill a theme's card, and no card shows the theme's border."""
    if not texts:
        return {}
    vectors = embed.vectors(texts) if vectors is None else np.asarray(vectors)
    out = {}
    labels = np.asarray(labels)
    for c in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == c)
        sim = similarity([texts[i] for i in idx], vectors[idx], language=language) if len(idx) > 1 else np.ones((1, 1))
        centrality = sim.mean(axis=1)
        # Shown from the theme's core (its most central quarter): the "unlike those shown" rule
        # alone reached for the theme's border, and a median core still let the third card stray
        # (bench/themes.py --guided: third card 0.625 on a set whose themes are 0.638 pure, 0.875
        # with the quarter). A rewording of a shown idea is passed over; only when the core
        # holds nothing else does the card look beyond it.
        core = [j for j in range(len(idx)) if len(idx) < 4 or centrality[j] >= np.quantile(centrality, CORE_QUANTILE)]
        chosen: list[int] = []
        while len(chosen) < min(k, len(idx)):
            fresh = [j for j in range(len(idx)) if j not in chosen and (not chosen or sim[j, chosen].max() < REWORDING)]
            left = [j for j in fresh if j in core] or fresh or [j for j in range(len(idx)) if j not in chosen]
            overlap = sim[np.ix_(left, chosen)].max(axis=1) if chosen else np.zeros(len(left))
            gain = centrality[left] - REPEAT_PENALTY * overlap
            best = min(range(len(left)), key=lambda m: (-gain[m], idx[left[m]]))
            chosen.append(left[best])
        out[int(c)] = [int(idx[j]) for j in chosen]
    return out


# ---------------------------------------------------------------- guided by the facilitator's themes


def guide(
    texts: Sequence[str],
    *,
    names: dict[int, str],
    anchors: dict[int, Sequence[int]],
    vectors: np.ndarray | None = None,
    language: str = "fr",
) -> list[int]:
    """A theme per text when the facilitator named themes: a key of `names`, or -1, -2, … for an
    extra theme the result proposes (a block of ideas that fits none of the named ones).

    `anchors` are, per named theme, indices of texts held there (moved by the facilitator,
    chosen by their author). The room's own grouping (cluster_texts) is read through the named
    themes: a group holding one theme's anchors goes to it, a group holding several is shared
    among them by likeness, a group with none goes to the theme it likes best (examples and
    name); then each free idea moves to the theme whose members it is most like, until nothing
    moves. A block of the room's grouping that likes its theme no more than the rest of the room
    becomes an extra theme. Deterministic."""
    n, keys = len(texts), list(names)
    if n == 0:
        return []
    if not keys:
        return [-1 - c for c in cluster_texts(list(texts), vectors=vectors, language=language)]
    vectors = embed.vectors(list(texts)) if vectors is None else np.asarray(vectors)
    both = similarity(
        [*texts, *(names[k] for k in keys)], np.vstack([vectors, embed.vectors([names[k] for k in keys])]), language=language
    )
    sim, to_name = both[:n, :n], both[:n, n:]
    held = {int(i): k for k, idx in anchors.items() for i in idx if k in names}
    groups = np.asarray(cluster_texts(list(texts), vectors=vectors, language=language))

    def liking(rows: np.ndarray, k: int) -> np.ndarray:
        """How much each row's idea is like theme k's examples and name."""
        examples = [i for i, key in held.items() if key == k]
        return (sim[np.ix_(rows, examples)].sum(axis=1) + NAME_WEIGHT * to_name[rows, keys.index(k)]) / (
            len(examples) + NAME_WEIGHT
        )

    label: dict[int, int] = {}
    free_groups = []
    for g in sorted(set(groups.tolist())):
        rows = np.flatnonzero(groups == g)
        inside = sorted({held[i] for i in rows if i in held})
        candidates = inside or keys
        scores = np.column_stack([liking(rows, k) for k in candidates])
        if not inside:
            free_groups.append(rows)
        for r, i in enumerate(rows):
            label[int(i)] = held.get(int(i), candidates[int(np.argmax(scores[r] if inside else scores.mean(axis=0)))])
    label = _refine(sim, label, held, to_name=dict(zip(keys, to_name.T, strict=True)))
    # A block of the room's own grouping that likes the theme it was put in no more than it likes
    # the rest of the room fits none: it becomes an extra theme (at least 2 ideas, 5% of the room).
    typical = float(np.median([to_name[i, keys.index(k)] for i, k in held.items()])) if held else np.inf
    extra = -1
    for rows in free_groups:
        if len(rows) < max(2, round(0.05 * n)):
            continue
        outside = np.setdiff1d(np.arange(n), rows)
        shared = [sim[i, [j for j in outside if label[int(j)] == label[int(i)]]] for i in rows]
        if not any(len(f) for f in shared):
            continue  # the block is its theme on its own: it took that theme's name
        fit = float(np.mean([f.mean() for f in shared if len(f)]))
        cohesion = (sim[np.ix_(rows, rows)].sum() - len(rows)) / (len(rows) * (len(rows) - 1))
        theme = label[int(rows[0])]
        # ... unless it plainly likes that theme's name: as much as its examples do, more than the room
        liked = to_name[rows, keys.index(theme)].mean() if theme in names else -np.inf
        fits_name = liked > 0 and liked >= typical and liked > to_name[:, keys.index(theme)].mean()
        if (fit <= float(sim[np.ix_(rows, outside)].mean()) or fit < EXTRA_FIT * cohesion) and not fits_name:
            for i in rows:
                label[int(i)] = extra
            extra -= 1
    label = _refine(sim, label, held, to_name=dict(zip(keys, to_name.T, strict=True)))
    return [label[i] for i in range(n)]


def _refine(sim: np.ndarray, label: dict[int, int], held: dict[int, int], *, to_name: dict[int, np.ndarray]) -> dict[int, int]:
    """Move each free idea to the theme it is most like (its members, and its name for a named
    theme, which stays a candidate even when empty), until nothing moves."""
    n = len(sim)
    for _ in range(REFINE_ROUNDS):
        keys = sorted(set(label.values()) | set(to_name))
        members = np.array([label[i] for i in range(n)])
        columns = []
        for k in keys:
            inside = members == k
            named = NAME_WEIGHT if k in to_name else 0.0
            total = sim[:, inside].sum(axis=1) + (named * to_name[k] if named else 0.0)
            columns.append(total / max(inside.sum() + named, 1e-9))
        means = np.column_stack(columns)
        moved = {i: held.get(i, keys[int(np.argmax(means[i]))]) for i in range(n)}
        if moved == label:
            break
        label = moved
    return label


def nearest_theme(sim_to_ideas: np.ndarray, theme_of: np.ndarray) -> tuple[int, bool]:
    """The theme a new idea goes to (the one whose ideas it is most like on average) and whether
    it is doubtful: the second nearest theme within DOUBT_MARGIN, or the nearest one hardly nearer (2 margins)
    than the room's ideas taken together."""
    keys = sorted({int(t) for t in theme_of})
    means = np.array([sim_to_ideas[theme_of == k].mean() for k in keys])
    order = np.argsort(-means, kind="stable")
    best = float(means[order[0]])
    # Doubtful: another theme nearly as near, or no theme nearer than the room as a whole.
    doubtful = len(keys) > 1 and (
        best - float(means[order[1]]) < DOUBT_MARGIN or best < float(sim_to_ideas.mean()) + 2 * DOUBT_MARGIN
    )
    return keys[int(order[0])], doubtful


# ---------------------------------------------------------------- a room's ideas (room.py reads and saves them)


def new_themes(idea_ids: Sequence[int], texts: Sequence[str], *, n_themes: int | None, language: str) -> dict[str, list[int]]:
    """Ideas grouped into new themes: label -> idea ids (two groups with the same top words get
    "(2)" so that they stay two themes)."""
    if not texts:
        return {}
    labels = cluster_texts(list(texts), n_clusters=n_themes, language=language)
    names = theme_labels(list(texts), labels, language=language)
    groups: dict[str, list[int]] = {}
    for idea_id, c in zip(idea_ids, labels, strict=True):
        groups.setdefault(unique_label(c, names), []).append(int(idea_id))
    return groups


def unique_label(cluster: int, names: dict[int, str]) -> str:
    """Two clusters with the same top words get '(2)' so they stay two themes."""
    name = names[cluster]
    same = [c for c, n in names.items() if n == name]
    if len(same) < 2:
        return name
    return name if same.index(cluster) == 0 else f"{name} ({same.index(cluster) + 1})"


class _WordSpace:
    """The word features of a room's ideas, fitted once and reused while the room grows: each text's
    row is kept, and a new idea costs one transform instead of a refit over every idea (placing
    one idea among 500 took 0.2 s, mostly character n-grams). Refitted when the room has grown by
    a quarter or lost a fifth of the ideas it was fitted on."""

    def __init__(self, texts: Sequence[str], language: str) -> None:
        docs = [d or "_" for d in _docs(texts, language)]
        self.words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False
        )
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")
        self.words.fit(docs)
        self.chars.fit(docs)
        self.language, self.reference = language, set(texts)
        self.rows: dict[str, object] = {}

    def fits(self, texts: Sequence[str], language: str) -> bool:
        known = self.reference.intersection(texts)
        return language == self.language and len(known) >= 0.8 * len(self.reference) and len(texts) <= 1.25 * len(self.reference)

    def matrix(self, texts: Sequence[str]):
        """L2-normalised rows for `texts` (computed once per text)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.rows]
        if missing:
            docs = [d or "_" for d in _docs(missing, self.language)]
            fresh = normalize(hstack([self.words.transform(docs), 0.6 * self.chars.transform(docs)]).tocsr())
            if len(self.rows) > 20_000:
                self.rows.clear()
            self.rows.update({t: fresh[i] for i, t in enumerate(missing)})
        from scipy.sparse import vstack

        return vstack([self.rows[t] for t in texts]).tocsr()


_spaces: dict[str, _WordSpace] = {}
_spaces_lock = threading.Lock()


def _word_space(texts: Sequence[str], language: str) -> _WordSpace:
    with _spaces_lock:
        space = _spaces.get(language)
        if space is None or not space.fits(texts, language):
            space = _spaces[language] = _WordSpace(texts, language)
        return space


def prepare_placements(texts: Sequence[str], *, language: str) -> None:
    """Fit the room's word features now (after a grouping), so the next idea is placed at once."""
    if texts:
        _word_space(list(texts), language)


def placements(ideas: pd.DataFrame, *, language: str) -> dict[int, tuple[int, bool]]:
    """idea id -> (theme id, doubtful) for every idea without a theme: its nearest theme, never
    left unsorted; doubtful when another theme is nearly as near (the console asks to check)."""
    placed_mask = ideas["theme_id"].notna().to_numpy()
    if not placed_mask.any() or placed_mask.all():
        return {}
    texts = ideas["text"].tolist()
    placed = [t for t, m in zip(texts, placed_mask, strict=True) if m]
    free = [t for t, m in zip(texts, placed_mask, strict=True) if not m]
    space = _word_space(placed, language)
    with _spaces_lock:
        words = (space.matrix(free) @ space.matrix(placed).T).toarray()
    np.clip(words, 0.0, 1.0, out=words)
    vectors = embed.vectors(texts)
    centre = vectors[placed_mask].mean(axis=0) if placed_mask.sum() > 2 else 0.0
    meaning = normalize(vectors[~placed_mask] - centre) @ normalize(vectors[placed_mask] - centre).T
    sim = TEXT_WEIGHT * words + (1 - TEXT_WEIGHT) * meaning
    theme_of = ideas["theme_id"].to_numpy()[placed_mask].astype(int)
    ids = ideas["id"].to_numpy()[~placed_mask]
    return {int(idea_id): nearest_theme(sim[row], theme_of) for row, idea_id in enumerate(ids)}


def split(texts: Sequence[str], *, language: str) -> tuple[list[int], str]:
    """A theme's ideas in two groups (0 stays, 1 leaves) and the name of the group that leaves."""
    labels = cluster_texts(list(texts), n_clusters=2, language=language)
    if len(set(labels)) < 2:
        labels = [0] * (len(texts) // 2) + [1] * (len(texts) - len(texts) // 2)
    return [int(c) for c in labels], theme_labels(list(texts), labels, language=language)[1]


def cards(themes_df: pd.DataFrame, ideas: pd.DataFrame, *, language: str, k: int = 3) -> list[dict]:
    """Each theme with counts, votes, its ideas' texts (each once), its representative ideas and
    tags: what the wall shows."""
    out = []
    for theme in themes_df.to_dict("records"):
        mine = ideas[ideas["theme_id"] == theme["id"]] if not ideas.empty else ideas
        # Representatives without repeats: the same sentence posted twice shows once.
        texts = tuple(dict.fromkeys(mine["text"].tolist())) if not mine.empty else ()
        asked = [tag for tag_list in (mine["tags"] if not mine.empty else []) for tag in tag_list]
        tags = Counter(asked)
        out.append(
            {
                **theme,
                "representative": list(_representative_texts(texts, k=k, language=language)),
                "texts": list(texts),  # every idea once: what "who can help" reads
                "tags": sorted(tags, key=lambda x: (-tags[x], x)),
                "asked": asked,  # each idea's tags, repeats kept: what the theme asks for most
            }
        )
    return out


@functools.lru_cache(maxsize=512)
def _representative_texts(texts: tuple[str, ...], *, k: int, language: str) -> tuple[str, ...]:
    """A theme's k representative ideas, remembered by its ideas: a vote (which moves the data
    version) does not recompute them, only a change of the theme's ideas does."""
    if not texts:
        return ()
    return tuple(texts[i] for i in representatives(list(texts), [0] * len(texts), k=k, language=language)[0])
