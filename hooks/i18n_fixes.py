"""MkDocs hook: the bilingual fixes (per-language search, hreflang, 404 pages, pages in
one language only). The code is gevent_guide.site.i18n."""

from gevent_guide.site.i18n import (  # noqa: F401 (MkDocs calls them by name)
    on_files,
    on_page_content,
    on_page_context,
    on_post_build,
    on_post_page,
    on_post_template,
    on_pre_build,
    on_template_context,
)
