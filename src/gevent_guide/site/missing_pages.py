"""A page that exists in one language only: built in the other languages from its own
text, marked "not translated yet" with the `lang` of its content (overrides/main.html),
and listed in the alternates and the sitemap (mkdocs-static-i18n alone fails `--strict`
with fallback_to_default: false, or builds it with the wrong `lang`)."""

from __future__ import annotations

import logging
import os
from pathlib import PurePosixPath

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.gevent_guide")


def _norm(file: File, languages: list[str]) -> tuple[str | None, str]:
    parts = PurePosixPath(file.src_uri).parts
    if parts and parts[0] in languages:
        return parts[0], PurePosixPath(*parts[1:]).as_posix()
    return None, file.src_uri


def _copy_for(source: File, lang: str, plugin, config) -> File:
    """The file `source` (docs/<its language>/...) as built in `lang`'s site."""
    from mkdocs_static_i18n import folder

    default = plugin.default_language
    copy_ = folder.create_i18n_file(source, lang, default, plugin.all_languages, config)
    if lang == default and copy_.dest_path.startswith(f"{lang}/"):
        # the plugin only ever falls back towards the default language, never from it:
        # the default language's pages have no folder prefix
        copy_.dest_path = copy_.dest_path[len(lang) + 1 :]
        copy_.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, copy_.dest_path))
        copy_.url = copy_._get_url(config.use_directory_urls)
    return copy_


def add_missing_translations(files: Files, config, plugin, originals: list[File]):
    """Build a page that has no version in this language from another's text."""
    lang, default, languages = (
        plugin.current_language,
        plugin.default_language,
        list(plugin.build_languages),
    )
    present = {getattr(f, "norm_src_uri", f.src_uri) for f in files.documentation_pages()}
    by_norm: dict[str, dict[str, File]] = {}
    for f in originals:
        src_lang, norm = _norm(f, languages)
        if src_lang:
            by_norm.setdefault(norm, {})[src_lang] = f
    added = []
    for norm, versions in sorted(by_norm.items()):
        source_lang = default if default in versions else sorted(versions)[0]
        source = versions[source_lang]
        if norm in present:
            # this language has the page: point its alternates at the other languages'
            # copies
            own = next(f for f in files.documentation_pages() if f.norm_src_uri == norm)
            for other in languages:
                if other not in versions:
                    own.alternates[other] = _copy_for(source, other, plugin, config)
            continue
        copy_ = _copy_for(source, lang, plugin, config)
        # the navigation looks pages up as <lang>/<name>.md: give the copy that name,
        # while it keeps reading (and editing) the other language's file
        copy_.abs_src_path = source.abs_src_path
        copy_.edit_uri = source.src_uri
        copy_.src_uri = f"{lang}/{norm}"
        copy_.alternates = {lang: copy_}
        for other in languages:
            if other != lang:
                real = versions.get(other)
                copy_.alternates[other] = _copy_for(real or source, other, plugin, config)
        files.append(copy_)
        added.append(copy_)
        log.info(f"gevent-guide-i18n: no '{lang}' {norm}; building it from '{source_lang}'")
    if added:
        plugin.i18n_files_per_language[lang] = files.documentation_pages()
    return files
