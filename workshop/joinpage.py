"""The page a phone opens from the QR code (/?code=…), as plain HTML: the workshop's title and
question, one field, what is recorded, in the room's language; posting it joins (workshop/web.py)
and leads to the personal page.

Why plain HTML: it is what 200 phones load in the same minute on one Wi-Fi. Streamlit's
frontend (~0.35 MB, then 1–2 s of script on a phone) is loaded once, by the personal page, while
the person is already reading the question and typing a name. It works without JavaScript.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urlencode

from workshop.i18n import format_date, language_name, t
from workshop.model import LANGUAGES, LIMITS, Workshop

NAME_MAX = LIMITS["name"]  # the field's bound; validation.clean_name checks it again on the server
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # security.new_token(): 24 random bytes, URL-safe

STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#31333f;background:#fff;
  line-height:1.5;font-size:1rem}
main{max-width:44rem;margin:0 auto;padding:1rem 1rem 3rem}
nav{display:flex;gap:.5rem;margin-bottom:.5rem}
nav a,nav span{display:inline-flex;align-items:center;justify-content:center;min-width:6rem;min-height:44px;
  padding:0 .75rem;border:1px solid #8b8e99;border-radius:.5rem;color:#1f5fbf;text-decoration:none}
nav span{background:#1f5fbf;border-color:#1f5fbf;color:#fff}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 .5rem;overflow-wrap:anywhere}
.question{font-size:1.1rem;margin:0 0 1rem;white-space:pre-line;overflow-wrap:anywhere}
form{border:1px solid #d5d7de;border-radius:.5rem;padding:1rem;margin:1rem 0}
h2{font-size:1.4rem;margin:0 0 .75rem}
label{display:block;margin-bottom:.25rem}
input[type=text]{display:block;width:100%;font:inherit;font-size:16px;min-height:44px;padding:.5rem .75rem;
  border:1px solid #8b8e99;border-radius:.5rem;background:#f0f2f6;color:#1f2330}
button{display:block;width:100%;margin-top:1rem;min-height:44px;font:inherit;font-weight:600;color:#fff;
  background:#1f5fbf;border:0;border-radius:.5rem;cursor:pointer}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}
.error{border-left:4px solid #b3261e;background:#fdecea;color:#7a1410;padding:.75rem 1rem;border-radius:.25rem;margin:1rem 0}
section p{margin:.25rem 0 0}
"""


def rich_text(text: str) -> str:
    """Catalogue text with **bold** as HTML, everything else escaped."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def page_language(workshop: Workshop, chosen: str | None) -> str:
    """The language asked for in the link, else the workshop's."""
    return chosen if chosen in LANGUAGES else workshop.language


def render(workshop: Workshop, *, lang: str, token: str, name: str = "", error: str = "", prefetch: str = "") -> str:
    """The join page; `name` is what was typed (kept after an error), `error` a message to show,
    `prefetch` a script (web.prefetch_script) that fetches the frontend's files while the person
    reads and types: the personal page then opens from the cache."""
    esc = html.escape
    code = workshop.code
    switch = language_nav(lang, lambda other: "/?" + urlencode({"code": code, "lang": other}))
    question = f'<p class="question">{esc(workshop.question)}</p>' if workshop.question else ""
    code_field = f'<input type="hidden" name="code" value="{esc(code)}">'
    body = f"""{switch}
<h1>{esc(workshop.title)}</h1>
{question}{alert_html(error)}
{join_form(lang=lang, token=token, name=name, code_field=code_field)}
{notice_section(lang, date=format_date(workshop.retention_date, lang))}"""
    return document(lang=lang, title=workshop.title, body=body, script=prefetch)


def alert_html(error: str) -> str:
    """A message said to the person (and read by screen readers at once), or nothing."""
    return f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""


def join_form(*, lang: str, token: str, name: str, code_field: str) -> str:
    """The form that joins at the front door (POST /join): `code_field` is the code, hidden on
    the QR's page, typed on the home page; `name` what was typed."""
    esc = html.escape
    return f"""<form method="post" action="/join">
<h2>{esc(t("home.join_title", lang))}</h2>
{code_field}
<input type="hidden" name="token" value="{esc(token)}">
<input type="hidden" name="lang" value="{esc(lang)}">
<label for="name">{esc(t("field.name", lang))}</label>
<input type="text" id="name" name="name" value="{esc(name)}" maxlength="{NAME_MAX}" autocomplete="nickname" required>
<button type="submit">{esc(t("home.join_button", lang))}</button>
</form>"""


def notice_section(lang: str, *, date: str) -> str:
    """What is recorded and shown, before anyone types a name."""
    return f"""<section aria-labelledby="notice">
<h2 id="notice">{html.escape(t("home.notice_title", lang))}</h2>
<p>{rich_text(t("home.notice", lang, date=date))}</p>
</section>"""


def language_nav(lang: str, href: Callable[[str], str]) -> str:
    """The page's language switch: every language in its own name, the current one marked."""
    esc = html.escape
    items = "".join(
        f'<span aria-current="true" lang="{other}">{esc(language_name(other))}</span>'
        if other == lang
        else f'<a href="{esc(href(other))}" lang="{other}" hreflang="{other}">{esc(language_name(other))}</a>'
        for other in LANGUAGES
    )
    return f'<nav aria-label="{esc(t("lang.label", lang))}">{items}</nav>'


def document(*, lang: str, title: str, body: str, script: str = "", style: str = "") -> str:
    """A whole front-door page: `body` inside <main>, the shared style (plus `style`), `script`
    run at the end."""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · Think&amp;Do</title>
<link rel="icon" href="/favicon.png">
<style>{STYLE}{style}</style>
</head>
<body>
<main>
{body}
</main>
{f"<script>{script}</script>" if script else ""}
</body>
</html>
"""
