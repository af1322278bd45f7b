"""`python -m workshop`: demo, migrate, export, import, themes, backup, restore, purge — a thin layer
over the package."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from workshop import config, engine, links, store
from workshop import db as dbmod
from workshop.errors import WorkshopError
from workshop.model import EXPORT_LEVELS


def _target(given: str | None) -> str:
    """--db as given (a SQLite file or a postgresql:// URL), else the app's database."""
    return given or config.database()


def _db(given: str | None):
    return dbmod.open_db(_target(given))


def _sqlite_path(given: str | None, command: str) -> Path:
    target = _target(given)
    if engine.kind(target) != engine.SQLITE:
        from workshop.errors import StorageError

        raise StorageError("err.sqlite_only", what=command)
    return Path(target)


def cmd_demo(args: argparse.Namespace) -> int:
    from workshop import demo

    info = demo.seed_database(
        _target(args.db),
        participants=args.participants,
        seed=args.seed,
        public_base_url=args.base_url or "",
        with_themes=not args.no_themes,
    )
    if args.json:
        print(json.dumps(info))
    else:
        print(f"Demo workshop {info['code']} ({args.participants} participants)")
        for key, value in info.items():
            print(f"  {key}: {value}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from workshop import serving

    return serving.serve(
        database=_target(args.db),
        address=args.address,
        port=args.port,
        demo=not args.no_demo,
        browser=not args.no_browser,
        public_url=args.public_url or "",
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create or migrate the database. It deletes nothing: expired workshops are only listed."""
    with _db(args.db) as db:
        expired = store.expired_workshops(db)
    print("database ready")
    if expired:
        print(
            f"{len(expired)} workshop(s) past their deletion date: `python -m workshop purge --expired` deletes them (after a backup)"
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    path = _sqlite_path(args.db, "backup")
    pages = dbmod.backup(path, Path(args.out))
    print(f"{args.out}: consistent copy of {path} ({pages} pages)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _sqlite_path(args.db, "restore")
    safety = _backup_beside(path, "before-restore")
    pages = dbmod.restore(path, Path(args.source))
    print(f"{path}: restored from {args.source} ({pages} pages); the previous state is in {safety}")
    return 0


def _backup_beside(path: Path, reason: str) -> Path | None:
    """A dated backup in data/backups/ before anything destructive (None if there is no database yet)."""
    if not path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = path.parent / "backups" / f"{path.stem}-{reason}-{stamp}.db"
    dbmod.backup(path, out)
    return out


def _bundles_before_purge(db, doomed: list[dict]) -> Path:
    """PostgreSQL's safety copy before a purge: each doomed workshop's full bundle in
    data/backups/ (re-importable with `import --keep-links`)."""
    from workshop import export

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = config.data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    for w in doomed:
        export.write_bundle(db, w["id"], folder / f"{w['code']}-before-purge-{stamp}.zip", level="full")
    return folder


def cmd_export(args: argparse.Namespace) -> int:
    from workshop import export

    with _db(args.db) as db:
        w = store.workshop_by_code(db, args.code)
        size = export.write_bundle(db, w.id, Path(args.out), level=args.level)
    print(f"{args.out}: {size} bytes ({args.level})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from workshop import export

    data = Path(args.file).read_bytes()
    with _db(args.db) as db:
        into = store.workshop_by_code(db, args.into).id if args.into else None
        previous = store.workshop_by_code(db, args.previous).id if args.previous else None
        w, token = export.import_bundle(db, data, keep_links=args.keep_links, into=into, previous_id=previous)
    print(json.dumps({"code": w.code, "facilitator_url": links.facilitator_url(w, token)}))
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    """Group the ideas exactly as the console's button does (manual edits kept), then list the themes."""
    from workshop import rooms

    with _db(args.db) as db:
        w = store.workshop_by_code(db, args.code)
        rooms.cluster_workshop(db, w.id, n_themes=args.themes, fresh=True)
        frame = store.themes_frame(db, w.id)
        ideas = store.ideas_frame(db, w.id)
    result = []
    for theme in frame.to_dict("records"):
        idea_ids = sorted(int(i) for i in ideas.loc[ideas["theme_id"] == theme["id"], "id"]) if not ideas.empty else []
        result.append({"id": int(theme["id"]), "label": theme["label"], "idea_ids": idea_ids})
    for theme in result:
        print(f"{theme['id']:>5}  {theme['label']}  ({len(theme['idea_ids'])}: {', '.join(map(str, theme['idea_ids']))})")
    if args.json:
        print(json.dumps({"themes": result}, ensure_ascii=False))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete deliberately: a backup is taken first, and every deleted workshop is named."""
    target = _target(args.db)
    with _db(target) as db:
        if args.expired:
            doomed = [w for w in store.workshops_list(db) if w["id"] in set(store.expired_workshops(db))]
        else:
            doomed = [w for w in store.workshops_list(db) if w["code"] == store.workshop_by_code(db, args.code).code]
        if not doomed:
            print("nothing to purge")
            return 0
        if engine.kind(target) == engine.SQLITE:
            safety = _backup_beside(Path(target), "before-purge")
        else:
            safety = _bundles_before_purge(db, doomed)
        for w in doomed:
            print(f"purging {w['code']} «{w['title']}» (deletion date {w['retention_date']})", file=sys.stderr)
        count = store.purge(db, [w["id"] for w in doomed])
    print(f"purged {count} workshop(s); backup of the previous state: {safety}")
    return 0


_DB_HELP = "SQLite file or postgresql:// URL (default: $WORKSHOP_DATABASE_URL, else $WORKSHOP_DB, else data/workshop.db)"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="thinkdo", description="Think&Do workshop tool")
    p.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="serve the app on this computer (migrate, demo the first time, open the browser)")
    s.add_argument("--db", help=_DB_HELP)
    s.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    s.add_argument("--address", default="0.0.0.0", help="address to listen on (default: every interface, so phones reach it)")
    s.add_argument("--public-url", help="the join address phones open, if the one found is wrong (e.g. http://192.168.1.20:8501)")
    s.add_argument("--no-demo", action="store_true", help="do not seed the demo workshop into an empty database")
    s.add_argument("--no-browser", action="store_true", help="do not open the home page in the browser")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("demo", help="seed a realistic French demo workshop")
    d.add_argument("--db", help=_DB_HELP)
    d.add_argument("--participants", type=int, default=25, help="room size (default 25; 200 for a large room)")
    d.add_argument("--seed", type=int, default=42, help="random seed (same seed, same room)")
    d.add_argument("--base-url", help="public address used in the links")
    d.add_argument("--no-themes", action="store_true", help="skip themes, votes and collectifs")
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d.set_defaults(func=cmd_demo)

    m = sub.add_parser("migrate", help="create or migrate the database (deletes nothing)")
    m.add_argument("--db", help=_DB_HELP)
    m.set_defaults(func=cmd_migrate)

    e = sub.add_parser("export", help="write the session bundle (ZIP)")
    e.add_argument("--db", help=_DB_HELP)
    e.add_argument("--code", required=True, help="workshop join code")
    e.add_argument("--out", required=True, help="ZIP file to write")
    e.add_argument("--level", choices=EXPORT_LEVELS, default="full")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import", help="create (or extend) a workshop from a bundle")
    i.add_argument("file", help="bundle ZIP (or workshop.json)")
    i.add_argument("--db", help=_DB_HELP)
    i.add_argument("--keep-links", action="store_true", help="participants' personal links stay valid")
    i.add_argument("--into", help="extend this workshop (code) instead of creating one")
    i.add_argument("--previous", help="code of the workshop this one follows (before/after)")
    i.set_defaults(func=cmd_import)

    h = sub.add_parser("themes", help="group the ideas into themes, as the console's button does")
    h.add_argument("--db", help=_DB_HELP)
    h.add_argument("--code", required=True, help="workshop join code")
    h.add_argument("--themes", type=int, default=None, help="number of themes (default: the room decides)")
    h.add_argument("--json", action="store_true", help="also print one JSON object on the last line")
    h.set_defaults(func=cmd_themes)

    b = sub.add_parser("backup", help="consistent copy of the live database (safe while the room writes)")
    b.add_argument("--db", help=_DB_HELP)
    b.add_argument("--out", required=True, help="backup file to write")
    b.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", help="put a backup back in place (the current state is backed up first)")
    r.add_argument("--db", help=_DB_HELP)
    r.add_argument("--from", dest="source", required=True, help="backup file")
    r.set_defaults(func=cmd_restore)

    u = sub.add_parser("purge", help="delete a workshop (or all expired ones) after a backup, and VACUUM")
    u.add_argument("--db", help=_DB_HELP)
    grp = u.add_mutually_exclusive_group(required=True)
    grp.add_argument("--code", help="workshop join code")
    grp.add_argument("--expired", action="store_true", help="every workshop past its retention date")
    u.set_defaults(func=cmd_purge)
    return p


def version() -> str:
    """The installed distribution's version, or the checkout's."""
    import importlib.metadata

    try:
        return importlib.metadata.version("thinkdo-workshop")
    except importlib.metadata.PackageNotFoundError:
        return "checkout"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Windows console may default to a legacy code page
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except WorkshopError as exc:
        print(f"error: {exc.message('en')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
