"""Theme grouping benchmark: quality on labelled real idea sets, speed, memory.

    python bench/themes.py                 # quality on ../shared/data/ideas-dev + speed table
    python bench/themes.py --sets DIR      # any folder of labelled sets (same JSON format)
    python bench/themes.py --json          # one JSON object on the last line
    python bench/themes.py --ceiling       # also each signal's ARI when the true number of themes is given
    python bench/themes.py --sweep         # also ARI over a grid of the grouping's settings
    python bench/themes.py --guided        # also the facilitator's protocol, later ideas, cards (issue #29)

Quality per set: adjusted Rand index (ARI), NMI and purity against the gold categories, the
number of themes, the share of the largest theme, and the theme-language NMI where the set
mixes languages (0 means themes ignore the language). Rooms of 40 and 100 ideas drawn from each
set (seeded) are scored too, as a room is smaller than a whole set.
Speed (this machine): embedding one idea, grouping 200 and 500 ideas with cached vectors, the
first grouping in a fresh process (model load included), and the memory the embedder adds.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop import embed, themes  # noqa: E402

DEV_SETS = ROOT.parent / "shared" / "data" / "ideas-dev"


def purity(gold: list[str], labels: list[int]) -> float:
    total = 0
    for c in set(labels):
        members = [g for g, lab in zip(gold, labels, strict=True) if lab == c]
        total += max(members.count(g) for g in set(members))
    return total / len(gold)


def score(items: list[dict]) -> dict:
    texts = [it["text"] for it in items]
    gold = [it["gold"] for it in items]
    labels = themes.cluster_texts(texts)
    out = {
        "ideas": len(texts),
        "ari": round(adjusted_rand_score(gold, labels), 3),
        "nmi": round(normalized_mutual_info_score(gold, labels), 3),
        "purity": round(purity(gold, labels), 3),
        "themes": len(set(labels)),
        "gold_themes": len(set(gold)),
        "largest_share": round(max(labels.count(c) for c in set(labels)) / len(labels), 3),
    }
    langs = [it.get("lang") for it in items]
    if len(set(langs)) > 1:
        out["theme_language_nmi"] = round(normalized_mutual_info_score(langs, labels), 3)
    return out


def quality(folder: Path) -> dict:
    results = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data["items"]
        row = score(items)
        for size in (40, 100):
            if len(items) > size:
                rooms = [score(random.Random(seed).sample(items, size)) for seed in range(5)]
                row[f"ari_room{size}"] = round(float(np.mean([r["ari"] for r in rooms])), 3)
                row[f"largest_room{size}"] = round(float(np.mean([r["largest_share"] for r in rooms])), 3)
        results[path.stem] = row
    return results


def ceiling(folder: Path) -> dict:
    """What each signal allows when the true number of themes is GIVEN (an oracle the room never
    has): Ward on the centred sentence vectors, on the word features, on both side by side, and
    our similarity cut at k by average linkage. Tells whether a shortfall is the grouping's or the
    signals' (the best of these is an upper bound for any grouping built on them)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.preprocessing import normalize

    out = {}
    for path in sorted(folder.glob("*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        texts, gold = [it["text"] for it in items], [it["gold"] for it in items]
        k = len(set(gold))
        vectors = embed.vectors(texts)
        sentence = normalize(vectors - vectors.mean(axis=0))
        words = themes.features(texts).toarray()
        row = {}
        for name, x in (("sentence_ward", sentence), ("words_ward", words), ("both_ward", np.hstack([sentence, words]))):
            row[name] = round(adjusted_rand_score(gold, AgglomerativeClustering(k, linkage="ward").fit_predict(x)), 3)
        row["ours_k_given"] = round(adjusted_rand_score(gold, themes.cluster_texts(texts, n_clusters=k, vectors=vectors)), 3)
        ours = themes.similarity(texts, vectors)
        for name, sim in (("sentence", sentence @ sentence.T), ("words", words @ words.T), ("ours", ours)):
            row[f"5nn_same_{name}"] = neighbours_agree(sim, gold)
        out[path.stem] = row
    return out


def neighbours_agree(sim: np.ndarray, gold: list[str], k: int = 5) -> float:
    """Share of each idea's k most similar ideas that have its gold theme: the signal's quality,
    whatever the grouping (chance is the sum of the themes' squared shares)."""
    others = sim.copy()
    np.fill_diagonal(others, -np.inf)
    nearest = np.argsort(-others, axis=1, kind="stable")[:, :k]
    labels = np.asarray(gold)
    return round(float((labels[nearest] == labels[:, None]).mean()), 3)


def sweep(folder: Path) -> list[dict]:
    """ARI and largest share over a grid of the grouping's settings (neighbours, word weight,
    largest share): whether a shortfall is a setting's or the signals'."""
    saved = themes.NEIGHBOURS, themes.TEXT_WEIGHT, themes.LARGEST_SHARE
    sets = {p.stem: json.loads(p.read_text(encoding="utf-8"))["items"] for p in sorted(folder.glob("*.json"))}
    rows = []
    try:
        for share in (1 / 3, 0.4, 0.5):
            for neighbours in (6, 10, 15, 25):
                for weight in (0.3, 0.5, 0.7):
                    themes.NEIGHBOURS, themes.TEXT_WEIGHT, themes.LARGEST_SHARE = neighbours, weight, share
                    row = {"neighbours": neighbours, "text_weight": weight, "largest_share": round(share, 2)}
                    for name, items in sets.items():
                        labels = themes.cluster_texts([it["text"] for it in items])
                        row[f"{name}_ari"] = round(adjusted_rand_score([it["gold"] for it in items], labels), 3)
                        row[f"{name}_largest"] = round(max(labels.count(c) for c in set(labels)) / len(labels), 2)
                    rows.append(row)
    finally:
        themes.NEIGHBOURS, themes.TEXT_WEIGHT, themes.LARGEST_SHARE = saved
    return rows


# What a French facilitator would type for each development set's categories (the gold name as
# written for any other set, e.g. the sets kept outside the repository): never used to group,
# only to play the facilitator in the protocol below.
TYPED_NAMES = {
    "geography": "Géographie",
    "sports": "Sport",
    "science/technology": "Sciences et technologies",
    "travel": "Voyages",
    "politics": "Politique",
    "health": "Santé",
    "entertainment": "Divertissement",
}
DRAWS = 5  # random draws of the two ideas moved per theme (seeds 0..4)


def guided_protocol(items: list[dict]) -> dict:
    """The facilitator names each category and moves 2 random ideas into each (seeded, DRAWS
    draws), then presses Regrouper (themes.guide): ARI against the unsupervised grouping's, the
    share of ideas left without a theme, the extra themes proposed."""
    texts, gold = [it["text"] for it in items], [it["gold"] for it in items]
    vectors = embed.vectors(texts)
    cats = sorted(set(gold))
    aris, unplaced, extras = [], [], []
    for draw in range(DRAWS):
        rng = random.Random(draw)
        anchors = {
            c: rng.sample([i for i, g in enumerate(gold) if g == cat], min(2, gold.count(cat))) for c, cat in enumerate(cats)
        }
        names = {c: TYPED_NAMES.get(cat, cat) for c, cat in enumerate(cats)}
        labels = themes.guide(texts, names=names, anchors=anchors, vectors=vectors)
        aris.append(adjusted_rand_score(gold, labels))
        unplaced.append(sum(label is None for label in labels) / len(labels))
        extras.append(len({label for label in labels if label < 0}))
    return {
        "ari_unsupervised": round(adjusted_rand_score(gold, themes.cluster_texts(texts, vectors=vectors)), 3),
        "ari_guided": round(float(np.mean(aris)), 3),
        "ari_guided_draws": [round(a, 3) for a in aris],
        "without_theme": round(float(np.mean(unplaced)), 3),
        "extra_themes": extras,
    }


def later_ideas(items: list[dict]) -> dict:
    """Group 80% of the ideas, post the other 20% one by one (themes.nearest_theme): how many are
    placed, how many land in the theme whose ideas mostly share their category, how many are
    marked "to check", and how right the confident and the doubtful ones are (5 seeded splits)."""
    texts, gold = [it["text"] for it in items], [it["gold"] for it in items]
    vectors = embed.vectors(texts)
    placed = right = doubtful = right_sure = sure = 0
    total = 0
    for seed in range(DRAWS):
        order = list(range(len(texts)))
        random.Random(seed).shuffle(order)
        cut = int(len(order) * 0.8)
        known, late = order[:cut], order[cut:]
        labels = np.asarray(themes.cluster_texts([texts[i] for i in known], vectors=vectors[known]))
        majority = {
            c: max(set(gs := [gold[known[j]] for j in np.flatnonzero(labels == c)]), key=gs.count) for c in set(labels.tolist())
        }
        sim = themes.similarity(texts, vectors)
        for i in late:
            theme, doubt = themes.nearest_theme(sim[i, known], labels)
            ok = majority[theme] == gold[i]
            total += 1
            placed += 1
            right += ok
            doubtful += doubt
            if not doubt:
                sure += 1
                right_sure += ok
    return {
        "placed": round(placed / total, 3),
        "right_theme": round(right / total, 3),
        "to_check": round(doubtful / total, 3),
        "right_when_sure": round(right_sure / max(sure, 1), 3),
        "right_when_to_check": round((right - right_sure) / max(doubtful, 1), 3),
    }


def card_purity(items: list[dict]) -> dict:
    """For the themes of 3 ideas or more: how often each card position shows an idea of the theme's
    majority category, against the theme's own purity (share of its majority category)."""
    texts, gold = [it["text"] for it in items], [it["gold"] for it in items]
    vectors = embed.vectors(texts)
    labels = themes.cluster_texts(texts, vectors=vectors)
    reps = themes.representatives(texts, labels, k=3, vectors=vectors)
    hits, purities = [[], [], []], []
    for c, chosen in reps.items():
        members = [gold[i] for i, label in enumerate(labels) if label == c]
        if len(members) < 3:
            continue
        top = max(set(members), key=members.count)
        purities.append(members.count(top) / len(members))
        for position, i in enumerate(chosen[:3]):
            hits[position].append(gold[i] == top)
    return {
        "theme_purity": round(float(np.mean(purities)), 3),
        **{f"card{p + 1}_purity": round(float(np.mean(h)), 3) for p, h in enumerate(hits)},
    }


def guided_all(folder: Path) -> dict:
    out = {}
    for path in sorted(folder.glob("*.json")):
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        out[path.stem] = {**guided_protocol(items), **later_ideas(items), **card_purity(items)}
    return out


def synthetic(n: int, seed: int) -> list[str]:
    """n varied ideas: real-looking French and English sentences assembled from parts."""
    from workshop.demo import IDEA_SUBJECTS

    rng = random.Random(seed)
    tails = (
        "",
        " avec les anciens collègues",
        " dans notre région",
        " entre PME",
        " pour les associations",
        " en Bretagne",
        " for young founders",
        " grâce aux liens dormants",
        " avec la mairie",
    )
    subjects = list(IDEA_SUBJECTS)
    return [f"{rng.choice(IDEA_SUBJECTS[rng.choice(subjects)])}{rng.choice(tails)} {i}" for i in range(n)]


def speed() -> dict:
    out = {}
    cache = embed.default_cache()
    one = synthetic(50, 99)
    started = time.perf_counter()
    for text in one:
        cache.embedder.encode([text])
    out["embed_one_ms"] = round((time.perf_counter() - started) / len(one) * 1000, 2)
    for n in (200, 500, 2000):
        texts = synthetic(n, n)
        embed.vectors(texts)  # cached, as after the ideas were posted
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            labels = themes.cluster_texts(texts)
            themes.theme_labels(texts, labels)
            runs.append(time.perf_counter() - started)
        out[f"group_{n}_s"] = round(sorted(runs)[1], 3)
    texts = synthetic(500, 500)
    vectors = embed.vectors(texts)
    names = {k: name for k, name in enumerate(("Compétences", "Recrutement", "Mobilité", "Financement", "Export", "Climat"))}
    anchors = {k: [2 * k, 2 * k + 1] for k in names}
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        themes.guide(texts, names=names, anchors=anchors, vectors=vectors)
        runs.append(time.perf_counter() - started)
    out["guided_500_s"] = round(sorted(runs)[1], 3)
    import pandas as pd

    labels = themes.cluster_texts(texts, vectors=vectors)
    runs = []
    for k in range(6):  # six ideas posted one after another after a grouping of 500
        late = [f"Un nouveau vélo partagé {j}" for j in range(k)]
        ideas = pd.DataFrame(
            {
                "id": range(501 + k),
                "text": [*texts, *late, f"Une idée neuve numéro {k}"],
                "theme_id": [*labels, *[labels[0]] * k, None],
            }
        )
        started = time.perf_counter()
        themes.placements(ideas, language="fr")
        runs.append(time.perf_counter() - started)
    out["place_first_after_grouping_ms"] = round(runs[0] * 1000, 1)  # the console pays this at Regrouper
    out["place_one_in_500_ms"] = round(float(np.median(runs[1:])) * 1000, 1)
    cold = (
        subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True, cwd=ROOT)
        .stdout.strip()
        .splitlines()[-1]
    )
    out.update(json.loads(cold))
    return out


COLD = """
import json, time, sys
sys.path.insert(0, '.')
from bench.memory import rss_mb
from bench.themes import synthetic
from workshop import themes

texts = synthetic(200, 7)
themes.theme_labels(texts[:3], [0, 0, 0])  # libraries imported and lemma tables loaded, as in the server
before = rss_mb()
started = time.perf_counter()
labels = themes.cluster_texts(texts)
themes.theme_labels(texts, labels)
seconds = time.perf_counter() - started
print(json.dumps({"first_group_200_s": round(seconds, 3), "added_memory_mb": round(rss_mb() - before, 1)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=Path, default=DEV_SETS)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--ceiling", action="store_true", help="also: each signal's ARI with the true number of themes given")
    parser.add_argument("--sweep", action="store_true", help="also: quality over a grid of the grouping's settings")
    parser.add_argument("--guided", action="store_true", help="also: the facilitator's protocol, later ideas, card purity")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {"quality": quality(args.sets) if args.sets.is_dir() else {}}
    if args.ceiling and args.sets.is_dir():
        result["ceiling"] = ceiling(args.sets)
    if args.guided and args.sets.is_dir():
        result["guided"] = guided_all(args.sets)
    if args.sweep and args.sets.is_dir():
        result["sweep"] = sweep(args.sets)
    if not args.no_speed:
        result["speed"] = speed()
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(result))
        return
    for name, row in result["quality"].items():
        print(name, " ".join(f"{k}={v}" for k, v in row.items()))
    for name, row in result.get("ceiling", {}).items():
        print(name, "k given:", " ".join(f"{k}={v}" for k, v in row.items()))
    for name, row in result.get("guided", {}).items():
        print(name, "guided:", " ".join(f"{k}={v}" for k, v in row.items()))
    for row in result.get("sweep", []):
        print("sweep", " ".join(f"{k}={v}" for k, v in row.items()))
    for key, value in result.get("speed", {}).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
