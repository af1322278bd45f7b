"""Entrypoint and router: page config, the page list, then the chosen page."""

import streamlit as st

from workshop import ui

PAGES = [
    st.Page("pages/home.py", title="Think&Do", default=True),
    st.Page("pages/participate.py", title="Think&Do", url_path="me"),
    st.Page("pages/console.py", title="Console", url_path="console"),
    st.Page("pages/projector.py", title="Projecteur", url_path="projector"),
]

# Participants must not see the facilitator's pages in a menu: each page is reached by its link.
page = st.navigation(PAGES, position="hidden")
wide = page.url_path in ("console", "projector")
st.set_page_config(page_title=ui.t("app.title"), layout="wide" if wide else "centered", initial_sidebar_state="collapsed")
page.run()
