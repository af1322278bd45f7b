"""A deterministic French demo room: participants, overlapping contacts spelled differently, ideas.

Everything comes from a seeded random generator, never from hand-typed rows, so that
`--participants 200` makes a large room for benchmarks with the same realism.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from dataclasses import dataclass

from workshop import config, engine, security, store
from workshop.engine import Database
from workshop.errors import InvalidInput
from workshop.model import CIRCLES, FLOWS, JOIN_LIMITS, REGIONS, Participant, Workshop

FIRST_NAMES = (
    "Marie Jean Hélène Pierre Sophie Nicolas Camille Thomas Élodie Julien Chloé Antoine Léa Mathieu "
    "Inès Louis Manon Hugo Claire François Émilie Olivier Anaïs Benoît Céline Damien Aurélie Éric "
    "Laure Sébastien Noémie Yann Margaux Rémi Agathe Loïc Solène Grégoire Maëlle Cédric Zoé Thibault "
    "Bérénice Gaëtan Juliette Frédéric Amandine Raphaël Pauline Joël"
).split()
LAST_NAMES = (
    "Dupont Martin Bernard Durand Lefèvre Moreau Laurent Simon Michel Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche "
    "Roy Noël Meyer Lucas Meunier Jean Pérez Marchand Dufour Blanchard Brunet Le Gall Caron Giraud "
    "Œuvrard Lacroix Bréhier Saint-Martin"
).split()

CITIES = {
    "Auvergne-Rhône-Alpes": ["Lyon", "Grenoble", "Clermont-Ferrand", "Annecy"],
    "Île-de-France": ["Paris", "Montreuil", "Versailles", "Saint-Denis"],
    "Bretagne": ["Rennes", "Brest", "Vannes"],
    "Nouvelle-Aquitaine": ["Bordeaux", "Limoges", "La Rochelle"],
    "Occitanie": ["Toulouse", "Montpellier", "Albi"],
    "Hauts-de-France": ["Lille", "Amiens", "Roubaix"],
    "Pays de la Loire": ["Nantes", "Angers", "Le Mans"],
    "Provence-Alpes-Côte d'Azur": ["Marseille", "Nice", "Avignon"],
    "Grand Est": ["Strasbourg", "Metz", "Reims"],
    "Normandie": ["Rouen", "Caen"],
}
ORGANISATIONS = {
    "industrie": ["Forges de l'Ouest", "Atelier Mécanique Rhône", "Textiles du Nord"],
    "numérique": ["Officience", "Skiller", "Pixel & Cie", "DataCoop"],
    "conseil": ["Cabinet Horizon", "MétaMorphoses", "Cap Transitions"],
    "finance": ["Crédit Coopératif", "Banque des Territoires", "Club Cigales Lyon"],
    "santé": ["CHU de Lyon", "Clinique des Alpes", "Mutuelle Solidaire"],
    "éducation": ["Université Lyon 2", "IUT de Rennes", "École de la Deuxième Chance"],
    "collectivité locale": ["Métropole de Lyon", "Région Bretagne", "Mairie de Nantes"],
    "association": ["Les Petits Frères", "Réseau Entreprendre", "France Active"],
    "commerce": ["Biocoop Croix-Rousse", "Quincaillerie Moderne"],
    "agriculture": ["GAEC des Prés", "Coopérative Terre d'Oc"],
    "culture": ["Théâtre des Célestins", "Festival Bretagne Sonore"],
    "énergie": ["Enercoop", "Solaire Citoyen"],
    "transport": ["Vélo Cité", "TransAlp Logistique"],
    "BTP": ["Bâtir Ensemble", "Charpentes Durables"],
}
SKILLS = (
    "comptabilité",
    "droit du travail",
    "levée de fonds",
    "marketing digital",
    "recrutement",
    "design de service",
    "animation de réseau",
    "développement web",
    "gestion de projet",
    "communication",
    "achats responsables",
    "export",
    "RSE",
    "data",
    "facilitation",
    "mentorat",
    "logistique",
    "subventions publiques",
)

# Ideas: subjects with several phrasings each (French first, a few in English), so that
# clustering has real themes to find and real variety inside them.
IDEA_SUBJECTS = {
    "compétences": [
        "Partager nos compétences entre membres du réseau",
        "Une bourse d'échange de compétences entre entreprises",
        "Mettre en relation ceux qui offrent une compétence et ceux qui la cherchent",
        "Prêter des compétences pro à des associations",
        "Skill sharing between members of the network",
        "Annuaire des compétences du réseau, tenu à jour par chacun",
    ],
    "recrutement": [
        "Recruter par cooptation grâce aux réseaux personnels",
        "Cooptation : recommander des candidats de confiance",
        "Trouver des stagiaires et alternants via les contacts des salariés",
        "Hiring through trusted personal referrals",
        "Réseau d'anciens collègues pour le recrutement",
    ],
    "territoire": [
        "Cartographier les acteurs locaux de notre région",
        "Réseau local d'entrepreneurs par ville",
        "Relier les entreprises du territoire avec la collectivité locale",
        "Monter des projets avec les acteurs de la région Auvergne-Rhône-Alpes",
        "Local business network in each city",
    ],
    "achats": [
        "Acheter local : trouver des fournisseurs via nos réseaux",
        "Mutualiser les achats entre entreprises du réseau",
        "Groupement d'achats responsables entre PME",
        "Identifier des fournisseurs de confiance recommandés par les membres",
    ],
    "financement": [
        "Créer un club d'investissement entre membres",
        "Financer des projets locaux par un club d'investisseurs",
        "Trouver des financeurs via les liens dormants",
        "Investment club to fund local projects",
        "Lever des fonds auprès de nos réseaux personnels",
    ],
    "mentorat": [
        "Mentorat entre générations d'entrepreneurs",
        "Parrainer les jeunes entrepreneurs grâce à nos contacts",
        "Mentoring young founders with experienced members",
        "Programme de mentorat croisé entre secteurs",
    ],
    "clients": [
        "Trouver de nouveaux clients par recommandation",
        "Réactiver les liens dormants avec d'anciens clients",
        "Prospection commerciale par les réseaux personnels",
        "Recommandations croisées entre membres pour développer les ventes",
    ],
}

# The sectors an idea on each subject is tagged with (model.SECTORS): a theme then asks for
# what its ideas are about, as in a real room ("Qui peut aider" differs from theme to theme).
SUBJECT_SECTORS = {
    "compétences": ("numérique", "conseil", "éducation"),
    "recrutement": ("conseil", "industrie", "numérique"),
    "territoire": ("collectivité locale", "association", "agriculture", "transport"),
    "achats": ("commerce", "industrie", "agriculture"),
    "financement": ("finance", "conseil"),
    "mentorat": ("éducation", "conseil", "association"),
    "clients": ("commerce", "numérique"),
}

PARTICIPANT_SKILLS_SOUGHT = ("levée de fonds", "recrutement", "export", "data", "subventions publiques", "RSE")


@dataclass(frozen=True)
class DemoResult:
    workshop: Workshop
    facilitator_token: str
    participant_tokens: list[str]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spelling_variant(rng: random.Random, first: str, last: str) -> str:
    """How a participant might write a person's name: full, initial, upper-case surname, no accents..."""
    choice = rng.random()
    if choice < 0.30:
        return f"{first} {last}"
    if choice < 0.45:
        return f"{first[0]}. {last}"
    if choice < 0.58:
        return f"{last.upper()} {first}"
    if choice < 0.70:
        return _strip_accents(f"{first} {last}").lower()
    if choice < 0.82:
        return f"{first} {last[0]}."
    if choice < 0.92:
        return f"{first[0]}{last[0]}"
    return f"{first}  {last} "


MAX_PARTICIPANTS = 2000  # a conference room of 1,000 and then some
DEMO_DURATION = dt.timedelta(minutes=45)  # how long the demo room has been at work
JOIN_SPREAD = dt.timedelta(minutes=8)  # people come in over the first minutes
HOME_SHARE = 0.5  # of the people the room knows, those who live in the room's own region


@dataclass
class _Person:
    first: str
    last: str
    region: str
    city: str
    sector: str
    organisation: str
    skills: list[str]
    circle_bias: str


def _people(rng: random.Random, n: int, *, home: str = "", place: random.Random | None = None) -> list[_Person]:
    """n third parties with distinct names, at most as many as there are name pairs (a pool asked
    for more than that would never fill: `demo --participants 1000` hung)."""
    n = min(n, len(FIRST_NAMES) * len(LAST_NAMES))
    people = []
    seen = set()
    while len(people) < n:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        region = rng.choice(list(CITIES))
        sector = rng.choice(list(ORGANISATIONS))
        city = rng.choice(CITIES[region])  # drawn either way, so the seed's other draws stay put
        if place is not None and home and place.random() < HOME_SHARE:
            region, city = home, place.choice(CITIES[home])
        people.append(
            _Person(
                first=first,
                last=last,
                region=region,
                city=city,
                sector=sector,
                organisation=rng.choice(ORGANISATIONS[sector]),
                skills=rng.sample(SKILLS, k=rng.randint(0, 2)),
                circle_bias=rng.choice(CIRCLES),
            )
        )
    return people


def seed_demo(
    db: Database,
    *,
    participants: int = 25,
    seed: int = 42,
    title: str | None = None,
    language: str = "fr",
    public_base_url: str = "",
    facilitator_token: str | None = None,
    with_themes: bool = True,
) -> DemoResult:
    """Fill a new workshop with a realistic room; returns its tokens."""
    if isinstance(participants, bool) or not isinstance(participants, int) or not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput("err.demo_size", max=MAX_PARTICIPANTS)
    rng = random.Random(seed)
    workshop, token = store.create_workshop(
        db,
        title=title or "Journée Think&Do : l'entreprise diffuse",
        language=language,
        question="Quels cas d'usage pour notre entreprise diffuse ?",
        public_base_url=public_base_url,
        token=facilitator_token,
    )
    # A conference-sized demo joins faster than a room's default limits let a guest's script.
    store.update_view_settings(db, workshop.id, **{key: high for key, (_, _, high) in JOIN_LIMITS.items()})
    # The room has been at work for a while: people joined over the first minutes, mapped and
    # posted since, and are still at it (the wall's growth curve, its latest arrivals and its
    # "arrived in the last 2 minutes" rings look like a real room's, not one instant's).
    clock = random.Random(seed + 1)  # draws of its own: the timeline changes nothing else a seed gives
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = now - DEMO_DURATION
    ideas_open = started + DEMO_DURATION / 3
    store.set_round(db, workshop.id, "contacts", is_open=True, now=started)
    store.set_round(db, workshop.id, "ideas", is_open=True, now=ideas_open)

    members, tokens = _populate(
        db, workshop, participants=participants, seed=seed, rng=rng, clock=clock, started=started, ideas_open=ideas_open, now=now
    )
    _confirm_obvious_merges(db, workshop)
    if with_themes:
        _seed_do_round(db, workshop, members, rng)
    return DemoResult(store.get_workshop(db, workshop.id), token, tokens)


def _populate(
    db: Database,
    workshop: Workshop,
    *,
    participants: int,
    seed: int,
    rng: random.Random,
    clock: random.Random,
    started: dt.datetime,
    ideas_open: dt.datetime,
    now: dt.datetime,
    rehearsal: bool = False,
    prefix: str = "demo",
) -> tuple[list[Participant], list[str]]:
    """Add `participants` people to the room with their skills, contacts and ideas, as a room at
    work since `started` (the demo; the console's rehearsal with `rehearsal=True`)."""

    def moment(since: dt.datetime) -> dt.datetime:
        return since + (now - since) * clock.random()

    # A shared pool of third parties: smaller than the sum of address books, so people overlap.
    # Most of the room and of the people it knows live in one region, as at a real day (the map
    # then shows where the room reaches beyond it); drawn from a generator of its own.
    place = random.Random(seed + 2)
    home_region = place.choice(list(CITIES))
    pool = _people(rng, max(40, participants * 8), home=home_region, place=place)
    used_names: set[str] = set()
    tokens: list[str] = []
    members: list[Participant] = []
    for i in range(participants):
        while True:
            name = rng.choice(FIRST_NAMES) + (f" {rng.choice(LAST_NAMES)[0]}." if rng.random() < 0.6 else "")
            if name not in used_names:
                used_names.add(name)
                break
            if len(used_names) > len(FIRST_NAMES) * 5:
                # A conference: the short names are taken, so people write their whole name
                # (a number only once those run out too: "Claire 711" read like a robot).
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if name in used_names and len(used_names) > len(FIRST_NAMES) * len(LAST_NAMES):
                    name = f"{name} {i}"
                if name not in used_names:
                    used_names.add(name)
                    break
        ptoken = security.new_token()
        joined = started + JOIN_SPREAD * (i / participants) + dt.timedelta(seconds=clock.randint(0, 20))
        participant = store.join(db, workshop.code, name, token=ptoken, now=joined, rehearsal=rehearsal)
        store.set_own_skills(
            db,
            participant,
            offered=rng.sample(SKILLS, k=rng.randint(1, 3)),
            sought=rng.sample(PARTICIPANT_SKILLS_SOUGHT, k=rng.randint(0, 2)),
            show_name=rng.random() < 0.5,
        )
        tokens.append(ptoken)
        members.append(participant)

        home = rng.choice(list(CITIES))  # drawn either way, so the seed's other draws stay put
        home = home_region if place.random() < HOME_SHARE else home
        entered: list[tuple[int, _Person, str, str]] = []
        for person in rng.sample(pool, k=rng.randint(9, 18)):
            dormant = rng.random() < 0.22
            circle = person.circle_bias if rng.random() < 0.6 else rng.choice(CIRCLES)
            region = person.region if rng.random() < 0.85 else home
            contact_id = store.add_contact(
                db,
                participant,
                submission_id=f"{prefix}-{workshop.code}-{seed}-{i}-{person.first}-{person.last}",
                now=moment(joined),
                label=spelling_variant(rng, person.first, person.last),
                circle=circle,
                strength=rng.choice((1, 1, 2, 2, 3)),
                trust=rng.choice((1, 2, 2, 3, 3)),
                dormant=dormant,
                last_contact_year=rng.randint(2008, 2019) if dormant else None,
                flows=rng.sample(FLOWS, k=rng.randint(1, 3)),
                region=region,
                city=person.city if rng.random() < 0.7 else "",
                organisation=person.organisation if rng.random() < 0.75 else "",
                sector=person.sector if rng.random() < 0.8 else "",
                skills=person.skills,
            )
            entered.append((contact_id, person, circle, region))
        _answer_census(db, participant, entered, random.Random(f"{seed}-census-{i}"), prefix=f"{prefix}-{seed}-{i}")

    ideas_total = max(12, round(participants * 2.4))
    subjects = list(IDEA_SUBJECTS)
    for k in range(ideas_total):
        subject = subjects[k % len(subjects)] if k < len(subjects) else rng.choice(subjects)
        text = rng.choice(IDEA_SUBJECTS[subject])
        if rng.random() < 0.35:
            text += rng.choice((" avec les anciens collègues", " dans notre région", " entre PME", " pour les associations"))
        author = members[rng.randrange(len(members))]
        tags = []
        if rng.random() < 0.5:  # a sector the idea is about, as a participant would tag it
            tags.append(rng.choice(SUBJECT_SECTORS[subject]))
        if rng.random() < 0.4:
            tags.append(rng.choice(REGIONS[:13]))
        store.add_idea(
            db,
            author,
            submission_id=f"{prefix}-{workshop.code}-{seed}-idea-{k}",
            text=text,
            tags=tags,
            now=moment(max(ideas_open, dt.datetime.fromisoformat(author.joined_at))),
        )
    return members, tokens


def tie_chance(a: tuple, b: tuple) -> float:
    """How likely two of a participant's contacts know each other in the demo: people of one
    circle, one organisation or one region know each other more often (about 30% of pairs)."""
    (_, pa, ca, ra), (_, pb, cb, rb) = a, b
    return min(0.95, 0.2 + 0.4 * (ca == cb) + 0.4 * (pa.organisation == pb.organisation) + 0.2 * (ra == rb))


def _answer_census(db: Database, participant: Participant, entered: list[tuple], rng: random.Random, *, prefix: str) -> None:
    """The participant's "Qui se connaît ?" answered card by card, as the phone does."""
    answers = []
    for i, first in enumerate(entered[:-1]):
        shown = entered[i + 1 :]
        knows = [other[0] for other in shown if rng.random() < tie_chance(first, other)]
        answers.append((first[0], knows, [other[0] for other in shown]))
    store.record_census(db, participant, answers, submission_prefix=f"{prefix}-census")


def _confirm_obvious_merges(db: Database, workshop: Workshop, *, min_score: float = 97.0) -> None:
    """What a facilitator does in the console: confirm the surest candidates, so the demo shows bridges."""
    from workshop import resolve

    contacts = store.contacts_frame(db, workshop.id)
    for cand in resolve.contact_candidates(contacts, threshold=min_score):
        store.decide_merge(db, workshop.id, kind="contact", a_id=cand.a_id, b_id=cand.b_id, status="confirmed", score=cand.score)


def _seed_do_round(db: Database, workshop: Workshop, members: list[Participant], rng: random.Random) -> None:
    """Themes (one renamed by hand), votes, and two collectifs with next steps."""
    from workshop import rooms

    rooms.cluster_workshop(db, workshop.id)
    frame = store.themes_frame(db, workshop.id)
    if frame.empty:
        return
    # The facilitator renames the theme that gathered the skill-sharing ideas, as one would.
    ideas = store.ideas_frame(db, workshop.id)
    on_skills = ideas[ideas["text"].str.startswith(tuple(IDEA_SUBJECTS["compétences"]))]
    counts = on_skills["theme_id"].dropna().astype(int).value_counts()
    if not counts.empty:
        top = int(counts.sort_index().idxmax())
        store.rename_theme(db, workshop.id, top, "Partage de compétences")
    theme_ids = [int(t) for t in frame["id"]]
    store.set_round(db, workshop.id, "vote", is_open=True)
    for member in members:
        picks = rng.sample(theme_ids, k=min(3, len(theme_ids)))
        allocation = {picks[0]: 3}
        if len(picks) > 1:
            allocation[picks[1]] = 2
        store.cast_votes(db, member, allocation)
    store.set_round(db, workshop.id, "vote", is_open=False)
    ranked = store.themes_frame(db, workshop.id).sort_values(["votes", "id"], ascending=[False, True])
    store.set_round(db, workshop.id, "collectifs", is_open=True)
    today = dt.date.today()
    for rank, (_, theme) in enumerate(ranked.head(2).iterrows()):
        cid = store.create_collectif(db, workshop.id, name=str(theme["label"]), theme_id=int(theme["id"]))
        for member in rng.sample(members, k=min(len(members), rng.randint(3, 6))):
            store.set_membership(db, member, cid, member=True)
            own = [c["id"] for c in store.contacts_of(db, member.id)]
            store.set_mobilised_contacts(db, member, cid, rng.sample(own, k=min(2, len(own))))
            if rng.random() < 0.5:
                store.add_next_step(
                    db,
                    member,
                    cid,
                    submission_id=f"demo-step-{workshop.id}-{cid}-{member.id}",
                    text=rng.choice(
                        (
                            "Réunir le collectif en visio",
                            "Lister les contacts à solliciter",
                            "Rédiger une proposition d'une page",
                            "Organiser un déjeuner avec la collectivité",
                        )
                    ),
                    due_date=today + dt.timedelta(days=7 * (rank + 1)),
                    owner=member.display_name,
                )


def seed_database(
    target: str, *, participants: int = 25, seed: int = 42, public_base_url: str = "", with_themes: bool = True
) -> dict:
    """Seed a demo workshop into the database `target` and leave its links in `demo.json` beside it
    (the home page offers them when it serves that database); returns the links."""
    from pathlib import Path

    from workshop import db as dbmod
    from workshop import links

    with dbmod.open_db(target) as db:
        result = seed_demo(db, participants=participants, seed=seed, public_base_url=public_base_url, with_themes=with_themes)
    w = result.workshop
    folder = Path(target).parent if engine.kind(target) == engine.SQLITE else config.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.json").write_text(
        json.dumps({"db": engine.redact(target), "code": w.code, "token": result.facilitator_token}), encoding="utf-8"
    )
    return {
        "code": w.code,
        "join_url": links.join_url(w),
        "facilitator_url": links.facilitator_url(w, result.facilitator_token),
        "projector_url": links.projector_url(w),
    }


REHEARSAL_MAX = 200  # simulated people per click: enough to see the wall at a room's scale


def rehearse(db: Database, workshop_id: int, *, participants: int, seed: int | None = None) -> int:
    """Fill the real workshop with `participants` simulated people (contacts, ideas), marked as a
    rehearsal: they join a locked room and post in closed rounds, and `store.remove_rehearsal`
    takes them and all they left away in one click. Returns how many joined."""
    if isinstance(participants, bool) or not isinstance(participants, int) or not 1 <= participants <= REHEARSAL_MAX:
        raise InvalidInput("err.rehearsal_size", max=REHEARSAL_MAX)
    workshop = store.get_workshop(db, workshop_id)
    if seed is None:  # a second fill draws other people, the same fill twice the same ones
        people = store.participants_frame(db, workshop_id)
        seed = workshop_id * 7919 + int(people["rehearsal"].sum()) if not people.empty else workshop_id * 7919
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = now - DEMO_DURATION
    members, _ = _populate(
        db,
        workshop,
        participants=participants,
        seed=seed,
        rng=random.Random(seed),
        clock=random.Random(seed + 1),
        started=started,
        ideas_open=started + DEMO_DURATION / 3,
        now=now,
        rehearsal=True,
        prefix="rehearsal",
    )
    return len(members)


def local_demo() -> dict | None:
    """The demo's links (demo.json beside the database) when they belong to the database served."""
    demo_file = config.data_dir() / "demo.json"
    if not demo_file.exists():
        return None
    try:
        found = json.loads(demo_file.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return found if isinstance(found, dict) and found.get("db") == engine.redact(config.database()) else None
