"""Render the seed Press TV article (seed/*.txt) into Press TV-like HTML: tests/data/presstv_seed.html.

The markup follows docs/presstv.md as far as public sources record it (breadcrumb above the
headline, og:title, a " - PressTV" <title>, DC.Date.Created in Tehran time, a lazy lead image
with a <noscript> fallback, a caption ending "(Photo by AP)" in an element without a telling
class, paragraphs in a div whose class contains "body", the alternate-addresses footer with
its links and "Press TV News Roku"); the rest (menus, share bar, related news, sidebar,
newsletter box) is ordinary news-site furniture that extraction must leave out. Subheadings
(from the expected JSON) alternate between <h3> and an all-bold <p>.

    .venv/bin/python tests/data/make_presstv_seed.py
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "newscrawl/testing/mocksite/data/presstv-ninth-provincial-capital.txt"
EXPECTED = SEED.with_name("presstv-ninth-provincial-capital.expected.json")
OUTPUT = HERE / "presstv_seed.html"
FOOTER_START = "Press TV’s website can also be accessed at the following alternate addresses:"
IMAGE = "//cdn.presstv.ir/Photo/2021/8/11/3b0d2a3e-5b7c-4f0e-9d7e-2c1b8a6f4e21.jpg"
MIRRORS = ("www.presstv.co.uk", "www.presstv.tv")


def _paragraph(text: str, subheadings: list[str]) -> str:
    if text in subheadings:
        index = subheadings.index(text)
        return f"<h3>{escape(text)}</h3>" if index % 2 == 0 else f"<p><strong>{escape(text)}</strong></p>"
    return f"<p>{escape(text, quote=False)}</p>"


def render() -> str:
    blocks = [" ".join(b.split()) for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    crumb, headline, caption, *rest = blocks
    footer_at = rest.index(FOOTER_START)
    paragraphs, roku = rest[:footer_at], rest[footer_at + 1]
    subheadings = json.loads(EXPECTED.read_text(encoding="utf-8"))["subheadings"]
    section = crumb.split("/")[-1].strip()
    body = "\n".join(_paragraph(p, subheadings) for p in paragraphs)
    mirrors = "".join(f'<a href="https://{m}" target="_blank">{m}</a>&nbsp;&nbsp;' for m in MIRRORS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(headline)} - PressTV</title>
<meta name="description" content="{escape(paragraphs[0][:150])}">
<meta property="og:title" content="{escape(headline)}">
<meta property="og:type" content="article">
<meta property="og:image" content="https:{IMAGE}">
<meta name="DC.Date.Created" content="8/11/2021 1:50:13 PM">
<meta name="twitter:card" content="summary_large_image">
</head>
<body>
<div class="top-bar"><a href="/"><img src="/Content/img/logo.png" alt="PressTV logo"></a>
<ul class="main-menu"><li><a href="/Section/101">Iran</a></li><li><a href="/Section/102">Middle East</a></li>
<li><a href="/Section/104">Asia-Pacific</a></li><li><a href="/Section/106">Europe</a></li></ul></div>
<div class="container"><div class="row"><div class="col-md-8">
<div class="sub-title"><a href="/">News</a> &nbsp;/&nbsp; <a href="/Section/104">{escape(section)}</a></div>
<h1 class="title">{escape(headline)}</h1>
<div class="date-box">Wed Aug 11, 2021 01:50PM</div>
<div class="share-icons"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Telegram</a></div>
<div class="lead-image">
<img class="lazy img-fluid" src="/Content/img/loading.gif" data-src="{IMAGE}" alt="">
<noscript><img class="img-fluid" src="{IMAGE}" alt=""></noscript>
<div class="text-muted px-2">{escape(caption)}</div>
</div>
<div class="news-body-text">
{body}
<p>{escape(FOOTER_START)}</p>
<p>{mirrors}</p>
<p><a href="https://channelstore.roku.com/details/press-tv-news">{escape(roku)}</a></p>
</div>
<div class="newsletter-box"><h4>Sign up for our newsletter</h4><p>Get the headlines of the day in your inbox
every morning, free of charge, from the Press TV newsroom.</p></div>
<div class="related"><h3>Related news</h3><ul>
<li><a href="/Detail/2021/08/10/664112/Taliban-Kunduz">Taliban seize Kunduz as government forces
retreat to the airport</a></li>
<li><a href="/Detail/2021/08/09/664050/Sheberghan">Taliban take Sheberghan, the second provincial
capital in a day</a></li>
</ul></div>
</div>
<div class="col-md-4"><h3>Most viewed</h3><ul><li><a href="/Detail/1">Iran says talks must lift all
sanctions, not some of them</a></li></ul></div>
</div></div>
<div class="footer-bottom"><p>© Copyright 2021 Press TV. All rights reserved.</p></div>
</body>
</html>
"""


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
