"""What `streamlit run serve.py` serves: the app (app.py) behind the front door
(workshop/web.py: precompressed static files, the page shell in French with its boot script)."""

import streamlit as st
from starlette.middleware import Middleware

from workshop import web

web.precompress()  # once per Streamlit version, before the first phone asks
app = st.App("app.py", middleware=[Middleware(web.front_door)])
