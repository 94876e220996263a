"""What every PDF the project draws shares. reportlab is the one PDF library (the monthly brief,
the volunteer-hours certificate); this module gives them the font that writes Chinese.

The font is reportlab's built-in CID font STSong-Light (Adobe's Simplified Chinese font, which
every PDF reader carries): nothing is embedded and no font file is needed on the server, so
drawing a PDF cannot fail for want of a font.
"""

from functools import lru_cache
from xml.sax.saxutils import escape

CHINESE_FONT = "STSong-Light"


@lru_cache(maxsize=1)
def chinese_font() -> str:
    """The name of the Chinese font for styles and canvases, registered with reportlab once.

    reportlab is imported here rather than at the top so that loading the URL configuration does
    not pay for it; only a request that draws a PDF does."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
    return CHINESE_FONT


def paragraph_text(text) -> str:
    """`text` as the content of a reportlab `Paragraph`, which reads its text as markup: data
    (names, titles) with `&` or `<` would otherwise break the drawing or change its look."""
    return escape(str(text))
