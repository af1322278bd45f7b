"""Ideas into themes, offline: lemmas (simplemma), TF-IDF words + characters, agglomerative
clustering on cosine distance, c-TF-IDF labels. Deterministic: same ideas, same themes.

The synonym table (data/synonyms.csv, columns term,canonical) lets French and English ideas
on one subject meet: add a row `bikes,vélo` and "bikes" counts as "vélo" everywhere.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence

import numpy as np
import simplemma
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from sqlite_utils import Database

from workshop import config, store

STOP_WORDS = frozenset(
    """
    a à au aux avec ce ces cet cette dans de des du elle en entre et eux il ils je la le les leur leurs
    lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur
    ta te tes toi ton tu un une vos votre vous y d l j m n s t c qu être avoir faire plus tout tous
    toute toutes grâce chaque chez via afin ainsi aussi autre autres bien comme donc dont ici lors
    pendant peu sans selon sous tant très trop vers voici voilà celui celle ceux cela ça
    the an and or of to in on for with by from at as is are be was were it its this that these those
    our we you your their they them he she his her not no but if so than then into about between each
    through using use via
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@functools.cache
def synonyms() -> dict[str, str]:
    path = config.ROOT / "data" / "synonyms.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["term"].casefold(): row["canonical"] for row in csv.DictReader(fh)}


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """One word to its canonical lemma: synonym table first, then French, then English lemmas."""
    word = word.casefold().replace("’", "'")
    table = synonyms()
    if word in table:
        return table[word]
    lem = simplemma.lemmatize(word, lang=("fr", "en")).casefold()
    return table.get(lem, lem)


def tokens(text: str) -> list[str]:
    """Content lemmas of a text: elisions split (l'entreprise -> entreprise), stop words dropped."""
    out = []
    for raw in _WORD.findall(text or ""):
        for part in re.split(r"['’]", raw):
            if len(part) < 2 or part.casefold() in STOP_WORDS:
                continue
            lem = lemma(part)
            if lem not in STOP_WORDS and len(lem) > 1:
                out.append(lem)
    return out


def features(texts: Sequence[str]):
    """L2-normalised TF-IDF of lemmas (1-2 grams) joined with character 3-5 grams of the lemmas."""
    docs = [" ".join(tokens(t)) or (t or "").casefold() or "_" for t in texts]
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")
    matrix = hstack([words.fit_transform(docs), 0.6 * chars.fit_transform(docs)]).tocsr()
    return normalize(matrix), docs


def _cosine_distances(matrix) -> np.ndarray:
    sim = (matrix @ matrix.T).toarray()
    np.clip(sim, 0.0, 1.0, out=sim)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    return (dist + dist.T) / 2


def _renumber(raw: Sequence[int]) -> list[int]:
    """Cluster numbers in order of first appearance, so the numbering is stable."""
    order: dict[int, int] = {}
    return [order.setdefault(int(c), len(order)) for c in raw]


def cluster_texts(texts: Sequence[str], *, n_clusters: int | None = None, max_clusters: int = 12) -> list[int]:
    """A cluster number per text (0..k-1). k from the silhouette unless given. Deterministic.

    Parameters
    ----------
    texts : the ideas, in a fixed order (e.g. by id)
    n_clusters : force k (capped to the number of texts); None chooses it
    max_clusters : the largest k tried automatically
    """
    n = len(texts)
    if n == 0:
        return []
    if n < 3:
        return list(range(n)) if n_clusters and n_clusters >= n else [0] * n
    matrix, _ = features(texts)
    dist = _cosine_distances(matrix)
    if not dist.any():  # identical texts
        return [0] * n
    condensed = dist[np.triu_indices(n, k=1)]
    tree = linkage(condensed, method="average")
    if n_clusters:
        return _renumber(fcluster(tree, t=min(n_clusters, n), criterion="maxclust"))
    best, best_score = [0] * n, -2.0
    for k in range(2, min(max_clusters, n - 1) + 1):
        labels = fcluster(tree, t=k, criterion="maxclust")
        if len(set(labels)) < 2 or len(set(labels)) >= n:
            continue
        # Short notes make lone ideas look like good clusters: discount singleton themes.
        singletons = sum(1 for c in set(labels) if (labels == c).sum() == 1)
        score = silhouette_score(dist, labels, metric="precomputed") * (1 - singletons / n)
        if score > best_score + 1e-9:
            best, best_score = list(labels), score
    return _renumber(best)


def theme_labels(texts: Sequence[str], labels: Sequence[int], *, top: int = 3) -> dict[int, str]:
    """A readable label per cluster from its top c-TF-IDF lemmas ('compétence · partage · réseau')."""
    clusters = sorted(set(labels))
    if not clusters:
        return {}
    joined = [" ".join(" ".join(tokens(texts[i])) for i in range(len(texts)) if labels[i] == c).strip() for c in clusters]
    if not any(joined):
        return {c: (texts[labels.index(c)] or "?")[:40] for c in clusters}
    counter = CountVectorizer(token_pattern=r"\S+")
    counts = counter.fit_transform(joined).toarray().astype(float)
    words_per_class = counts.sum(axis=1)
    tf = counts / np.maximum(words_per_class[:, None], 1)  # c-TF-IDF: tf per class, L1-normalised
    idf = np.log(1 + words_per_class.mean() / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    vocab = counter.get_feature_names_out()
    out = {}
    for row, c in enumerate(clusters):
        order = sorted(range(len(vocab)), key=lambda j: (-scores[row, j], vocab[j]))
        words = [vocab[j] for j in order[:top] if scores[row, j] > 0]
        out[c] = " · ".join(words) if words else (texts[list(labels).index(c)] or "?")[:40]
    return out


def representatives(texts: Sequence[str], labels: Sequence[int], *, k: int = 3) -> dict[int, list[int]]:
    """Indices of the k texts closest to each cluster's centroid, best first."""
    if not texts:
        return {}
    matrix, _ = features(texts)
    out = {}
    labels = np.asarray(labels)
    for c in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == c)
        centroid = np.asarray(matrix[idx].mean(axis=0)).ravel()
        sims = matrix[idx] @ centroid
        order = sorted(range(len(idx)), key=lambda j: (-sims[j], idx[j]))
        out[int(c)] = [int(idx[j]) for j in order[:k]]
    return out


# ---------------------------------------------------------------- with the store


def cluster_workshop(db: Database, workshop_id: int, *, n_themes: int | None = None, fresh: bool = False, seed: int = 0) -> dict:
    """Group the workshop's ideas. First time (or fresh=True): cluster the ideas the facilitator has
    not placed into new themes. Later: only place new ideas into the nearest theme (or leave them
    'to sort'), never undoing manual work. `seed` is accepted for symmetry: the method is deterministic."""
    del seed
    if fresh:
        store.reset_auto_themes(db, workshop_id)
    themes_now = store.themes_frame(db, workshop_id)
    if themes_now.empty or fresh:
        return _cluster_unplaced(db, workshop_id, n_themes=n_themes)
    return place_new_ideas(db, workshop_id)


def _cluster_unplaced(db: Database, workshop_id: int, *, n_themes: int | None) -> dict:
    ideas = store.ideas_frame(db, workshop_id)
    unplaced = ideas[ideas["theme_id"].isna()] if not ideas.empty else ideas
    if unplaced.empty:
        return {"created": 0, "placed": 0}
    texts = unplaced["text"].tolist()
    labels = cluster_texts(texts, n_clusters=n_themes)
    names = theme_labels(texts, labels)
    groups: dict[str, list[int]] = {}
    for idea_id, c in zip(unplaced["id"].tolist(), labels, strict=True):
        groups.setdefault(_unique(c, names), []).append(int(idea_id))
    created = store.save_clustering(db, workshop_id, new_themes=groups, placements={})
    return {"created": len(created), "placed": len(unplaced)}


def _unique(cluster: int, names: dict[int, str]) -> str:
    """Two clusters with the same top words get '(2)' so they stay two themes."""
    name = names[cluster]
    same = [c for c, n in names.items() if n == name]
    if len(same) < 2:
        return name
    return name if same.index(cluster) == 0 else f"{name} ({same.index(cluster) + 1})"


def place_new_ideas(db: Database, workshop_id: int, *, min_similarity: float = 0.12) -> dict:
    """Put each idea without a theme into the most similar theme, if similar enough."""
    ideas = store.ideas_frame(db, workshop_id)
    if ideas.empty or ideas["theme_id"].isna().sum() == 0:
        return {"created": 0, "placed": 0}
    texts = ideas["text"].tolist()
    matrix, _ = features(texts)
    placed_mask = ideas["theme_id"].notna().to_numpy()
    theme_ids = sorted({int(t) for t in ideas.loc[placed_mask, "theme_id"]})
    if not theme_ids:
        return _cluster_unplaced(db, workshop_id, n_themes=None)
    centroids = np.vstack(
        [np.asarray(matrix[np.flatnonzero(ideas["theme_id"].to_numpy() == t)].mean(axis=0)).ravel() for t in theme_ids]
    )
    centroids = normalize(centroids)
    placements = {}
    for row in np.flatnonzero(~placed_mask):
        sims = np.asarray(matrix[row] @ centroids.T).ravel()
        best = int(np.argmax(sims))
        if sims[best] >= min_similarity:
            placements[int(ideas.iloc[row]["id"])] = theme_ids[best]
    store.save_clustering(db, workshop_id, new_themes={}, placements=placements)
    return {"created": 0, "placed": len(placements)}


def split_theme(db: Database, workshop_id: int, theme_id: int) -> int | None:
    """Split a theme in two by clustering its own ideas; returns the new theme's id."""
    ideas = store.ideas_frame(db, workshop_id)
    mine = ideas[ideas["theme_id"] == theme_id]
    if len(mine) < 2:
        return None
    texts = mine["text"].tolist()
    labels = cluster_texts(texts, n_clusters=2)
    if len(set(labels)) < 2:
        labels = [0] * (len(texts) // 2) + [1] * (len(texts) - len(texts) // 2)
    names = theme_labels(texts, labels)
    new_id = store.create_theme(db, workshop_id, names[1], renamed=True)
    for idea_id, c in zip(mine["id"].tolist(), labels, strict=True):
        if c == 1:
            store.move_idea(db, workshop_id, int(idea_id), new_id)
    return new_id


def theme_cards(db: Database, workshop_id: int, *, k: int = 3) -> list[dict]:
    """Each theme with counts, votes, its representative ideas and tags: what the wall shows."""
    themes_df = store.themes_frame(db, workshop_id)
    ideas = store.ideas_frame(db, workshop_id)
    cards = []
    for theme in themes_df.to_dict("records"):
        mine = ideas[ideas["theme_id"] == theme["id"]] if not ideas.empty else ideas
        texts = mine["text"].tolist() if not mine.empty else []
        # Representatives without repeats: the same sentence posted twice shows once.
        reps = representatives(texts, [0] * len(texts), k=len(texts)).get(0, []) if texts else []
        reps = list(dict.fromkeys(texts[i] for i in reps))[:k]
        tags: dict[str, int] = {}
        for tag_list in mine["tags"] if not mine.empty else []:
            for tag in tag_list:
                tags[tag] = tags.get(tag, 0) + 1
        cards.append(
            {
                **theme,
                "representative": reps,
                "tags": sorted(tags, key=lambda x: (-tags[x], x)),
            }
        )
    return cards
