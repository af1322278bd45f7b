"""Clustering benchmark: N ideas -> themes with labels and representatives.

    python bench/themes.py --ideas 500 [--json]

Prints a table, or one JSON object with ideas, themes, seconds (warm: the lemma dictionaries
already loaded, as in the running server) and cold_seconds (first call in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import themes  # noqa: E402
from workshop.demo import IDEA_SUBJECTS  # noqa: E402

SUFFIXES = ("", " avec les anciens collègues", " dans notre région", " entre PME", " pour les associations",
            " en Bretagne", " for young founders", " grâce aux liens dormants", " avec la mairie")  # fmt: skip


def ideas(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    subjects = list(IDEA_SUBJECTS)
    return [
        rng.choice(IDEA_SUBJECTS[rng.choice(subjects)]) + rng.choice(SUFFIXES) + (f" #{i % 13}" if i % 3 == 0 else "")
        for i in range(n)
    ]


def run(texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    labels = themes.cluster_texts(texts)
    themes.theme_labels(texts, labels)
    themes.representatives(texts, labels, k=3)
    return time.perf_counter() - started, len(set(labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cold, _ = run(ideas(args.ideas, args.seed + 1000))
    warm = [run(ideas(args.ideas, args.seed + k)) for k in range(3)]
    seconds = sorted(w[0] for w in warm)[1]  # median of three
    result = {"ideas": args.ideas, "themes": warm[0][1], "seconds": round(seconds, 3), "cold_seconds": round(cold, 3)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{'ideas':>8} {'themes':>7} {'seconds (warm, median of 3)':>28} {'cold':>8}")
        print(f"{result['ideas']:>8} {result['themes']:>7} {result['seconds']:>28.3f} {result['cold_seconds']:>8.3f}")


if __name__ == "__main__":
    main()
