"""MkDocs hook: translation notices and verified-with versions on each page. The code is
gevent_guide.site.notices."""

from gevent_guide.site.notices import on_page_content, on_pre_build  # noqa: F401
