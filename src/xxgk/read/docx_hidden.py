"""Hidden text in Word: runs that Word neither shows nor prints.

A run is hidden by `w:vanish` in its own properties, in its character style (w:rStyle and
the styles it is based on), in its paragraph's style, or in the document defaults; the
nearest setting wins, and `w:val="0"` (false, off) shows text again. Such text is not part
of the report a reader sees: a table cell showing 0 with a hidden 9 before it holds 0. The
DOCX reader leaves hidden runs out of the text and reports them as artifacts
("hidden_text"), because a published file that carries hidden text is itself a finding.
(`w:specVanish`, `w:webHidden` are not hiding text on paper and are ignored.)
"""

from __future__ import annotations

from .docx_xml import PPR, RPR, VAL, w

VANISH, R_STYLE, P_STYLE, BASED_ON = map(w, ("vanish", "rStyle", "pStyle", "basedOn"))
STYLE, STYLE_ID, TYPE = w("style"), w("styleId"), w("type")
_FALSE = ("0", "false", "off")
_MAX_CHAIN = 20  # basedOn chains are short; a cycle must not hang


def toggle(rpr) -> bool | None:
    """True/False when run properties set w:vanish, None when they say nothing."""
    node = rpr.find(VANISH) if rpr is not None else None
    if node is None:
        return None
    return node.get(VAL, "true").lower() not in _FALSE


class Visibility:
    """Which runs are hidden, given the document's styles part (None: no styles)."""

    def __init__(self, styles) -> None:
        self.styles: dict[tuple[str, str], tuple[bool | None, str | None]] = {}
        self.default: bool | None = None
        if styles is None:
            return
        for style in styles.iterfind(STYLE):
            based = style.find(BASED_ON)
            key = (style.get(TYPE, "paragraph"), style.get(STYLE_ID, ""))
            self.styles[key] = (toggle(style.find(RPR)), based.get(VAL) if based is not None else None)
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{RPR}")
        self.default = toggle(defaults)

    @property
    def any(self) -> bool:
        """Whether any style hides text (else only direct formatting can)."""
        return bool(self.default) or any(hidden for hidden, _ in self.styles.values())

    def _style(self, kind: str, style_id: str | None) -> bool | None:
        for _ in range(_MAX_CHAIN):
            if style_id is None or (kind, style_id) not in self.styles:
                return None
            hidden, style_id = self.styles[(kind, style_id)]
            if hidden is not None:
                return hidden
        return None

    def paragraph(self, p) -> bool | None:
        """Hidden by the paragraph's style (None: the style says nothing)."""
        ppr = p.find(PPR)
        node = ppr.find(P_STYLE) if ppr is not None else None
        return self._style("paragraph", node.get(VAL) if node is not None else None)

    def run(self, r, paragraph: bool | None) -> bool:
        """Whether run `r` is hidden; `paragraph` as given by `paragraph()`."""
        rpr = r.find(RPR)
        direct = toggle(rpr)
        if direct is not None:
            return direct
        node = rpr.find(R_STYLE) if rpr is not None else None
        by_style = self._style("character", node.get(VAL) if node is not None else None)
        for value in (by_style, paragraph, self.default):
            if value is not None:
                return value
        return False


__all__ = ["Visibility", "toggle"]
