"""The page that creates a workshop (/new), as plain HTML: title, language, question, how long the
data is kept, an optional template, the host's key when one is set; posting it creates the
workshop (workshop/web.py) and opens its console.

Why plain HTML: a creation is then one small request answered by the front door, not a
Streamlit session with its page runs in the room's process. A flood of creations from many
addresses (a guest on the Wi-Fi) no longer slows the room's participants (bench/creations.py).
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from workshop import config
from workshop.i18n import language_name, t
from workshop.joinpage import alert_html, document, language_nav
from workshop.model import LANGUAGES, LIMITS, RETENTION_DAYS

FIELDS = ("title", "language", "question", "retention_days")  # what a creation form sends back, kept after an error

STYLE = """
input[type=password],input[type=number],select,textarea{display:block;width:100%;font:inherit;font-size:16px;
  min-height:44px;padding:.5rem .75rem;border:1px solid #8b8e99;border-radius:.5rem;background:#f0f2f6;color:#1f2330}
textarea{min-height:6rem;resize:vertical}
.file{position:relative;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;min-height:44px}
.file input{position:absolute;inset:0;width:100%;opacity:0;cursor:pointer}
.file-button{display:inline-flex;align-items:center;min-height:44px;padding:0 1rem;border:1px solid #8b8e99;
  border-radius:.5rem;color:#1f5fbf;font-weight:600}
.file:focus-within .file-button{outline:3px solid #0b3d91;outline-offset:2px}
.file-name{color:#31333f;overflow-wrap:anywhere}
form label{margin-top:.75rem}
.hint{font-size:.9rem;color:#555867;margin:.25rem 0 0}
select:focus-visible,textarea:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}
.back{display:inline-block;margin-top:.5rem;min-height:44px;line-height:44px;color:#1f5fbf}
"""


def page_language(chosen: str | None) -> str:
    """The language asked for in the link or the form, else French."""
    return chosen if chosen in LANGUAGES else "fr"


def blank(lang: str) -> dict[str, str]:
    """What a fresh form holds: the room's usual question, data kept the default time."""
    return {
        "title": "",
        "language": lang,
        "question": t("home.default_question", lang),
        "retention_days": str(config.DEFAULT_RETENTION_DAYS),
    }


def render(*, lang: str, token: str, values: dict[str, str] | None = None, error: str = "", key_required: bool = False) -> str:
    """The creation form; `values` is what was typed (kept after an error), `error` a message,
    `token` the facilitator key this form will create (a second post of it creates nothing more)."""
    esc = html.escape
    values = {**blank(lang), **(values or {})}
    switch = language_nav(lang, lambda other: "/new?" + urlencode({"lang": other}))
    options = "".join(
        f'<option value="{code}"{" selected" if code == values["language"] else ""}>{esc(language_name(code))}</option>'
        for code in LANGUAGES
    )
    low, high = RETENTION_DAYS
    key = (
        f'<label for="key">{esc(t("field.creation_key", lang))}</label>'
        '<input type="password" id="key" name="key" autocomplete="off" required>'
        if key_required
        else ""
    )
    body = f"""{switch}
<h1>{esc(t("home.create_title", lang))}</h1>
{alert_html(error)}
<form method="post" action="/new" enctype="multipart/form-data">
<input type="hidden" name="token" value="{esc(token)}">
<input type="hidden" name="lang" value="{esc(lang)}">
<label for="title">{esc(t("field.title", lang))}</label>
<input type="text" id="title" name="title" value="{esc(values["title"])}" maxlength="{LIMITS["title"]}" required>
<label for="language">{esc(t("field.language", lang))}</label>
<select id="language" name="language">{options}</select>
<label for="question">{esc(t("field.question", lang))}</label>
<textarea id="question" name="question" maxlength="{LIMITS["question"]}">{esc(values["question"])}</textarea>
<label for="retention_days">{esc(t("field.retention_days", lang))}</label>
<input type="number" id="retention_days" name="retention_days" min="{low}" max="{high}" value="{esc(values["retention_days"])}">
<label for="template">{esc(t("home.template", lang))}</label>
<span class="file"><input type="file" id="template" name="template" accept=".json,application/json">
<span class="file-button" aria-hidden="true">{esc(t("new.choose_file", lang))}</span>
<span class="file-name" id="template-name" aria-live="polite">{esc(t("new.no_file", lang))}</span></span>
{key}
<button type="submit">{esc(t("home.create_button", lang))}</button>
</form>
<a class="back" href="/?{esc(urlencode({"lang": lang}))}">{esc(t("new.back", lang))}</a>"""
    return document(lang=lang, title=t("home.create_title", lang), body=body, style=STYLE, script=SHOW_FILE_NAME)


# The browser's own file button speaks the browser's language, not the page's: it is drawn
# invisible over ours, and the chosen file's name is written beside it (without JavaScript the
# file is still sent, its name just not shown).
SHOW_FILE_NAME = (
    "document.getElementById('template').addEventListener('change',function(e){var f=e.target.files[0];"
    "if(f){document.getElementById('template-name').textContent=f.name;}});"
)
