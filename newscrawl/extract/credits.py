"""Photo credits: split "(Photo by AP)", "Photo: Reuters", "© AFP", "Credit: ...",
"Getty Images", "(AFP)" out of a caption."""

from __future__ import annotations

import re

AGENCIES = (r"AP Photo|AP|AFP|dpa|DPA|epa|Imago|IMAGO|picture alliance|picture-alliance|Keystone|KEYSTONE|"
            r"ANP|Belga|"
            r"NTB|TT|Ritzau|Scanpix|APA|뉴시스|뉴스1|연합뉴스|共同|時事|Reuters|Getty Images|Getty|EPA|EFE|"
            r"Xinhua|Anadolu(?: Agency)?|IRNA|Tasnim|"
            r"Mehr|ISNA|Fars|WANA|SANA|Sputnik|TASS|Shutterstock|Alamy|Bloomberg|PA(?: Wire)?|"
            r"Press TV|UNICEF|UN Photo|Handout|file photo|AAP|ANI|dpa|Kyodo|Yonhap")
LABELS = (r"photos?|photograph|picture|image|foto|fotos|bild|bilder|kuva|zdjęcie|fotó|фото|credits?|crédit|"
          r"crédito|(?:bild|foto)?quelle|source|fuente|fonte|коллаж|isithombe")
_PATTERNS = [
    # "(Photo by AP)", "(Photo by John Doe/Reuters)", "(File photo by AFP)", "(Photo: Reuters)"
    re.compile(r"\s*\((?:file\s+)?(?:photos?|picture|image|video|graphic)\s*(?:by|:|via)\s*([^()]{2,80})\)\s*$",
               re.IGNORECASE),
    # "(Quelle: IMAGO/X)", "(Foto: dpa)", "(Image: PA)"
    re.compile(rf"\s*\((?:{LABELS})\s*:\s*([^()]{{2,120}})\)\s*$", re.IGNORECASE),
    # "Photo: Reuters", "Photograph: Jane Doe/The Guardian", "Credit: ...", "Bild: X", "...VALENTINOFoto: X"
    re.compile(rf"\s*(?:(?:{LABELS})\s*(?:credits?)?)\s*:\s*(.{{2,150}}?)[;.]?$", re.IGNORECASE),
    # "... yearbook. Photo by Handout/AFP", "...ice.Photograph by Doug Johnson"
    re.compile(r"(?:^|(?<=[.!?”\"—–|])|(?<=\s[-—–|]\s))\s*(?:photos?|photograph|picture|image|illustration|graphic|artwork)\s+"
               r"(?:by|via)\s+(.{2,120})$",
               re.IGNORECASE),
    # "... on fire.Credit...Jane Doe for The New York Times"
    re.compile(r"\s*(?:credit|photo)\s*(?:\.{2,3}|…)\s*(.{2,150})$", re.IGNORECASE),
    # "© AFP", "(c) Reuters", "Copyright 2024 AP"
    re.compile(r"\s*(?:©|\(c\)|copyright)\s*(?:\d{4}\s+)?(.{2,150})$", re.IGNORECASE),
    # Japanese: "...（潟沼義樹撮影）", "...＝ＡＰ"
    # (not "＝13日、東京で": when and where)
    re.compile(r"（([^（）]{1,30})撮影）$|＝([^＝\d０-９、]{1,30}(?<!で))$"),
    # Korean: "... 민경석 기자" (the photographer, a reporter), "... 인천=연합뉴스" (place=agency)
    re.compile(r"\s+([가-힣]{2,4}) ?기자$|\s+[가-힣]{1,10}=([가-힣A-Za-z0-9]{2,12})$"),
    # "... (AFP)", "... (Getty Images)", "... (Reuters/John Doe)"
    re.compile(rf"\s*\(((?:{AGENCIES})(?:\s*/\s*[^()]{{2,40}})?|[^()]{{2,40}}\s*/\s*(?:{AGENCIES}))\)\s*$"),
    # "... (Bespoke Real Estate)", "... (Christie's)": a short capitalised name in parentheses
    re.compile(r"(?<=[.!?]) *\(((?!(?:Archiv|Symbol|File|Archive|Illustration)\w*\))"
               r"[A-Z][\w'’&.-]+(?: [A-Z][\w'’&.-]+){0,3})\)$"),
    # "... Getty Images" / "... AFP via Getty Images" / "... Reuters" at the very end
    re.compile(rf"\s+((?:[A-Z][\w'-]+\s+){{0,3}}(?:[A-Z][\w'-]+\s*/\s*)?(?i:{AGENCIES})"
               rf"(?:\s+via\s+Getty Images)?)\s*$"),
]
_TRAILING_NAME = _PATTERNS[-1]
ONLY_CREDIT = re.compile(r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+\s*/\s*"
                         r"[A-Z][\w'’.&-]+(?:\s+[A-Z][\w'’.&-]+){0,3}$")
"""A whole caption that is a photographer and an outlet: "Tomer Appelbaum/Haaretz"."""


def split_credit(caption: str, alone: bool = True) -> tuple[str, str]:
    """(caption without credit, credit); the credit is '' when none is recognised. With ``alone``
    (no credit found elsewhere), a whole text shaped like a credit ("STR/AFP via Getty Images") is one."""
    text = " ".join(caption.split())
    if ONLY_CREDIT.match(text) or (alone and WHOLE_CREDIT.match(text) and credit_shaped(text)
                                     and (" via " in text or AGENCY_WORD.search(text))):
        return "", text
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        credit = (match.group(1) or match.group(match.lastindex or 1) or "").strip(" .;,")
        rest = text[:match.start()].rstrip(" -–—|,;/")
        if rest.endswith("(") and credit.endswith(")") and credit.count(")") > credit.count("("):
            rest, credit = rest[:-1].rstrip(), credit[:-1].rstrip()  # "(Image: Liverpool Echo)"
        if credit and (rest or pattern is not _TRAILING_NAME):  # a lone agency name stays a caption
            return rest, credit
    return shaped_tail(text)


CREDIT_PREFIX = re.compile(r"^\s*(?:\(?\s*(?:(?:file\s+)?(?:photograph|photos?|credits|"
                           r"picture|image|foto|fotos|"
                           r"bild|bilder|kuva|zdjęcie|credit|crédit|crédito|quelle|source)\s*(?:by\b|von\b|:|/|-|"
                           r"credit:?)|©|\(c\)|copyright)\s*[:/-]?\s*)+", re.IGNORECASE)
"""A label before the credit: a word label needs its separator ("Picture Alliance" is a name)."""


def clean_credit(credit: str) -> str:
    """A credit without its label: "Photo by Jean Levac" -> "Jean Levac", "Foto: dpa" -> "dpa";
    a part repeated ("© Anett Seidler | Anett Seidler") once."""
    text = CREDIT_PREFIX.sub("", " ".join(credit.split())).strip(" ()[].,;/|–—-")
    parts = [part.strip() for part in text.split(" | ")]
    if len(parts) > 1:
        text = " | ".join(dict.fromkeys(CREDIT_PREFIX.sub("", part) for part in parts if part))
    return text or " ".join(credit.split())


LABEL_ONLY = re.compile(rf"^\W*(?:{LABELS}|©|copyright|\(c\))?\W*$", re.IGNORECASE)


CREDIT_GLUE = frozenset({"via", "for", "and", "und", "og", "och", "et", "y", "e", "of", "de",
                         "&", "/", "|", "-", "–"})
"""Lower-case words and marks a credit may hold between its names ("STR/AFP via Getty Images")."""
SHAPE_TOKEN = re.compile(r"[/|&–-]|[^\s/|&–-]+")
LABEL_TAIL = re.compile(r"(?:^|(?<=[.!?”\"»)]))\s*(?:(?:photos?|foto|bild|image|credit)\s*)?(?:[/|–—]|:)\s*"
                        r"([^/|–—:]{2,60}(?:\s*/\s*[^/|–—:]{2,40})*)$", re.IGNORECASE)
CJK_LABEL = re.compile(r"[（(]?(?:写真|画像|撮影|提供|사진)\s*[：:=]\s*([^（）()]{1,40})[）)]?$")


def credit_shaped(text: str) -> bool:
    """Does ``text`` read as a credit and nothing else: at most eight names, each capitalised
    ("STR/AFP via Getty Images", "REUTERS/Evelyn Hockstein", "Jim Watson/AFP/Getty Images"), held
    together by slashes or "via", and naming an agency or holding a slash?"""
    words = SHAPE_TOKEN.findall(text)
    names = [w for w in words if w not in CREDIT_GLUE]
    if not names or len(names) > 8 or len(text) > MAX_SHAPED:
        return False
    if any(":" in w for w in names) or not all(w[0].isupper() or w[0].isdigit() or not w[0].isalpha()
                                                for w in names):
        return False
    return "/" in words or " via " in f" {text} " or bool(AGENCY_WORD.search(text))


MAX_SHAPED = 80
WHOLE_CREDIT = re.compile(r"^\w[^:()]*(?:/| via )[^:()]*$")
SENTENCE_TAIL = re.compile(r"(?<=[.!?”\"»])\s+\(?([^.!?()]{2,80}?)\)?$")
AGENCY_WORD = re.compile(rf"(?<!\w)(?:{AGENCIES})(?!\w)")


def shaped_tail(text: str) -> tuple[str, str]:
    """(caption, credit) when the caption ends in a credit-shaped part after its last sentence
    ("... on Monday. REUTERS/Evelyn Hockstein"), after a separator ("... Berlin. / dpa"), or a
    CJK label ("...（写真：共同）"); (text, '') otherwise."""
    cjk = CJK_LABEL.search(text)
    if cjk:
        return text[:cjk.start()].rstrip(" 　"), cjk.group(1).strip()
    labelled = LABEL_TAIL.search(text)
    if labelled and labelled.start() > 0 and credit_shaped(labelled.group(1).strip()):
        return text[:labelled.start()].rstrip(" -–—|/"), labelled.group(1).strip()
    match = SENTENCE_TAIL.search(text)
    if match and credit_shaped(match.group(1)):
        return text[:match.start()], match.group(1)
    return text, ""


def without_credit(caption: str, credit: str) -> str:
    """A caption without the credit found for it elsewhere: "" when it is the credit, else the
    caption with the credit cut out of its end ("Orchid in foam (Lucy Akins)" -> "Orchid in foam")."""
    if not credit or not caption:
        return caption
    if clean_credit(caption) == credit:
        return ""
    for form in (f"({credit})", credit):
        if caption.endswith(form) and len(caption) > len(form):
            return caption[: -len(form)].rstrip(" -–—|/,;(")
    return caption
