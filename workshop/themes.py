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
    scores = tf * idf
    vocab = counter.get_feature_names_out()
    out = {}
    for row, c in enumerate(clusters):
        order = sorted(range(len(vocab)), key=lambda j: (-scores[row, j], vocab[j]))
        words: list[str] = []
        taken: set[str] = set()  # one form of each word: not "croisée · vente · croisé"
        for j in order:
            if len(words) == top or scores[row, j] <= 0:
                break
            if _form_key(vocab[j]) not in taken:
                taken.add(_form_key(vocab[j]))
                words.append(vocab[j])
        out[c] = _short(" · ".join(words)) if words else fallback[c]
    return out


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
    """Indices of k texts per cluster, best first: the one nearest its centre (highest mean
    similarity), then each next one central but unlike those already chosen (maximal marginal
    relevance), so three rewordings of one idea do not fill a theme's card."""
    if not texts:
        return {}
    vectors = embed.vectors(texts) if vectors is None else np.asarray(vectors)
    out = {}
    labels = np.asarray(labels)
    for c in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == c)
        sim = similarity([texts[i] for i in idx], vectors[idx], language=language) if len(idx) > 1 else np.ones((1, 1))
        centrality = sim.mean(axis=1)
        chosen: list[int] = []
        while len(chosen) < min(k, len(idx)):
            left = [j for j in range(len(idx)) if j not in chosen]
            overlap = sim[np.ix_(left, chosen)].max(axis=1) if chosen else np.zeros(len(left))
            gain = centrality[left] - REPEAT_PENALTY * overlap
            best = min(range(len(left)), key=lambda m: (-gain[m], idx[left[m]]))
            chosen.append(left[best])
        out[int(c)] = [int(idx[j]) for j in chosen]
    return out


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
        groups.setdefault(_unique(c, names), []).append(int(idea_id))
    return groups


def _unique(cluster: int, names: dict[int, str]) -> str:
    """Two clusters with the same top words get '(2)' so they stay two themes."""
    name = names[cluster]
    same = [c for c, n in names.items() if n == name]
    if len(same) < 2:
        return name
    return name if same.index(cluster) == 0 else f"{name} ({same.index(cluster) + 1})"


def placements(ideas: pd.DataFrame, *, language: str, margin: float = 0.05) -> dict[int, int]:
    """idea id -> theme id for each idea without a theme whose most similar theme stands out (its
    mean similarity exceeds the idea's mean similarity to all placed ideas by `margin`)."""
    placed_mask = ideas["theme_id"].notna().to_numpy()
    texts = ideas["text"].tolist()
    sim = similarity(texts, embed.vectors(texts), language=language)
    theme_of = ideas["theme_id"].to_numpy()
    theme_ids = sorted({int(t) for t in theme_of[placed_mask]})
    members = {t: np.flatnonzero(placed_mask & (theme_of == t)) for t in theme_ids}
    out = {}
    for row in np.flatnonzero(~placed_mask):
        means = {t: float(sim[row, idx].mean()) for t, idx in members.items()}
        best = max(theme_ids, key=lambda t: (means[t], -t))
        if means[best] >= float(sim[row, placed_mask].mean()) + margin:
            out[int(ideas.iloc[row]["id"])] = best
    return out


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
