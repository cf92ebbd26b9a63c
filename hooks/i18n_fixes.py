"""Per-language search, hreflang, sitemap and 404 fixes for mkdocs-static-i18n (being written)."""
