"""The home page (/) as plain HTML: join with the workshop's code and a name, what is recorded,
the way to create a workshop, and on the laptop itself the demo's links.

Why plain HTML: a phone that types the code instead of scanning the QR loads a few KB, not
Streamlit's frontend and a Streamlit session; a visitor costs the room nothing (150 Streamlit
home-page sessions moved a participant's submit from 0.008 to 0.39 s, bench/creations.py).
Posting the form joins at the front door (workshop/web.py), as the QR's join page does.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from workshop import links
from workshop.i18n import t
from workshop.joinpage import alert_html, document, join_form, language_nav, notice_section
from workshop.model import LANGUAGES

CODE_MAX = 12

STYLE = """
.tagline{margin:0 0 1rem;color:#4a4d57}
.create a,.demo a{display:inline-flex;align-items:center;min-height:44px;padding:0 1rem;margin:.25rem .5rem .25rem 0;
  border-radius:.5rem;background:#1f5fbf;color:#fff;font-weight:600;text-decoration:none}
.demo a{background:#fff;color:#1f5fbf;border:1px solid #8b8e99}
section{margin-top:1.5rem}
form label{margin-top:.75rem}
"""


def page_language(chosen: str | None) -> str:
    """The language asked for in the link or the form, else French."""
    return chosen if chosen in LANGUAGES else "fr"


def render(
    *, lang: str, token: str, code: str = "", name: str = "", error: str = "", demo: dict | None = None, prefetch: str = ""
) -> str:
    """The home page; `code` and `name` are what was typed (kept after an error), `error` a
    message, `demo` the local demo's code and facilitator key (shown on the laptop only),
    `prefetch` the script that fetches the personal page's files while the person types."""
    esc = html.escape
    switch = language_nav(lang, links.home_path)
    code_field = (
        f'<label for="code">{esc(t("field.code", lang))}</label>\n'
        f'<input type="text" id="code" name="code" value="{esc(code)}" maxlength="{CODE_MAX}" placeholder="ABC234"'
        ' autocapitalize="characters" autocomplete="off" spellcheck="false" required>'
    )
    demo_block = ""
    if demo:
        code_q = {"code": demo["code"]}
        demo_block = f"""<section class="demo" aria-labelledby="demo">
<h2 id="demo">{esc(t("home.demo_title", lang))}</h2>
<p>{esc(t("home.demo_text", lang, code=demo["code"]))}</p>
<a href="/?{esc(urlencode(code_q))}">{esc(t("home.join_button", lang))}</a>
<a href="/console?{esc(urlencode({"w": demo["code"], "k": demo["token"]}))}">{esc(t("home.open_console", lang))}</a>
<a href="/projector?{esc(urlencode({"w": demo["code"]}))}" target="_blank" rel="noopener">{esc(t("home.open_projector", lang))}</a>
</section>"""
    body = f"""{switch}
<h1>{esc(t("app.title", lang))}</h1>
<p class="tagline">{esc(t("app.tagline", lang))}</p>
{alert_html(error)}
{join_form(lang=lang, token=token, name=name, code_field=code_field)}
{notice_section(lang, date="…")}
<section class="create" aria-labelledby="create">
<h2 id="create">{esc(t("home.create_title", lang))}</h2>
<a href="{esc(links.creation_path(lang))}">{esc(t("home.create_link", lang))}</a>
</section>
{demo_block}"""
    return document(lang=lang, title=t("app.title", lang), body=body, script=prefetch, style=STYLE)
