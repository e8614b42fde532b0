"""The vocabulary of control claims: the pieces the rules in `control` are built from.

Each piece is a regular expression over a sentence template (`@P` places, `@A` actors, `@D`
dates, see `briefing.claims.view`). Keeping them apart from the rules lets each rule read like
the sentence it matches: rf"{SUBJ} {AUX}{ADV}{CAPTURE} {OBJ}".
"""

from __future__ import annotations

import re

PL, ACT, DT = r"@P\d+", r"@A\d+", r"@D\d+"
THE = r"(?:the )?"
ADV = (
    r"(?:(?:now|still|currently|firmly|fully|largely|reportedly|already|again|once again"
    r"|effectively|completely|mostly|apparently|allegedly|briefly|finally|eventually|quickly"
    r"|swiftly|heavily|fiercely|hotly|partly|partially|officially|then|also|back|temporarily"
    r"|entirely|successfully|later|subsequently|initially|reported to be|said to be"
    r"|believed to be) )*"
)
AUX = r"(?:(?:have|has|had) )?"
WHEN = rf"(?:(?:on |early |late |since )?{DT},? )?"
ADJ = (
    r"(?:(?:key|strategic|strategically important|important|northern|southern|eastern|western"
    r"|central|provincial|remote|besieged|embattled|nearby|neighbou?ring|frontline|front-line"
    r"|border|port|coastal|industrial|main|whole|entire|\w+ern) )*"
)
PLACE = rf"{THE}{ADJ}(?P<p>{PL})(?: itself)?"
# An object place must be the place itself, not "Kandahar's airport" or "Hodeidah airport".
NOT_PART = (
    r"(?!'|-| (?:airport|airbase|air base|base|prison|port|bridge|checkpoint|road|highway"
    r"|outpost|compound|dam|border crossing|mine|headquarters)\b)"
)
SCOPE = (
    r"(?:(?P<scope>(?:the )?(?:rest|most|much|parts?|large parts|outskirts|cent(?:er|re)"
    r"|district cent(?:er|re)|heart|remainder) of) )?"
)
# "Taloqan, the capital of Takhar province, was overrun": the appositive is skipped.
WHICH = r"(?:, (?:(?:the|a|an) )?[^,;@]{3,80}(?:@P\d+[^,;@]{0,20})?,)?(?:,? (?:which|that))?,?"
BE = (
    r"(?P<be>is|are|was|were|remains|remain|remained|has been|have been|had been|stays|stayed"
    r"|has remained|had remained) "
)
# A subject, its "-led" allies, a coordinated partner and a parenthetical:
# "HTS-led rebels", "Somali troops and allied clan militias", "@A1, backed by airstrikes,".
BACKED = r"(?:,? (?:backed|supported|aided|assisted) by [^,;@]{3,40}?,?)?"
AGENT = rf"(?P<a>{ACT})(?:-(?:led|backed) {ACT})?{BACKED}"
SUBJ = (
    rf"(?:{AGENT}|(?P<pron>[Tt]hey|[Ii]t)|(?P<c>{PL}))"
    rf"(?: and (?:[a-z]+ ){{0,2}}(?:{ACT}|fighters|forces|militias|troops|tribesmen|allies))?"
    r"(?:, [^,;]{3,60},)?"
)
CLAIM = (
    r"(?:(?:claimed|claims|claim|said|says|announced)(?: that)? (?:to have |(?:they|it) "
    r"(?:had |has |have )?|(?:its |their )?(?:forces|troops|fighters|soldiers) "
    r"(?:had |has |have )?))?"
)
CAPTURE = (
    r"(?P<v>(?:took|taken|take|seized|gained|gain|wrested|established|claimed|assumed) "
    r"(?:full |complete |total |effective )?control (?:of|over)|captured|capture|seized|seize"
    r"|wrested|took over|taken over|overran|overrun|took|taken|conquered|occupied"
    r"|stormed and (?:captured|seized|took(?: control of)?)|entered and (?:captured|seized|took)"
    r"|claimed(?: the)? capture of)"
)
RETAKE = (
    r"(?P<v>retook|retaken|retake|recaptured|recapture|regained(?: full)?(?: control (?:of|over))?"
    r"|regain(?: full)?(?: control (?:of|over))?|took back(?: control of)?"
    r"|taken back(?: control of)?"
    r"|won back|reclaimed|liberated|re-took|re-captured)"
)
PASSIVE = (
    r"(?P<v>recaptured|retaken|regained|taken back|won back|reclaimed|liberated|captured|seized"
    r"|taken|overrun|taken over|occupied|conquered|lost)"
)
HOLDS = (
    rf"(?P<state>in the hands of {THE}(?P<a>{ACT})|in {THE}(?P<a2>{ACT})(?:'s|')? hands"
    rf"|(?:under|in) {THE}(?:\w+ )?control of {THE}(?P<a3>{ACT})|under {THE}(?P<a4>{ACT}) control"
    rf"|in {THE}(?P<a5>{ACT}) control|(?:held|controlled|defended) by {THE}(?P<a6>{ACT}))"
)
SIEGE_STATE = (
    rf"(?P<state>contested|disputed|under (?:heavy )?(?:attack|assault|fire)|under siege"
    rf"|besieged|encircled|surrounded(?= by {THE}{ACT}))(?: by {THE}(?P<a>{ACT}))?"
)
ATTACK = r"(?:attack|assault|offensive|attempt|push|advance|raid|incursion)s?"
ATTACK_ON = r"(?:on|against|into|toward|towards|in|to (?:capture|take|seize|storm))"
REPEL = (
    r"(?:repelled|repulsed|foiled|thwarted|beaten back|pushed back|fended off|driven back"
    r"|rebuffed)"
)

CLAUSE = re.compile(
    r"[;:.!?\"]|, (?:and|but|while|whereas|as|although|though|with|after|before|when|since"
    r"|because|saying|adding) | (?:but|while|whereas|although|though|after|before|when|because) "
    r"|, (?=(?:the )?@A\d+ )"
)
MODAL = re.compile(
    r"\b(?:could|might|may|would|will|likely|unlikely|expected|poised|about to|threat\w*|risk\w*"
    r"|matter of time|until|if|whether|plan\w* to|aim\w* to|attempt\w*|try|tries|trying|tried"
    r"|sought|seek\w*|vow\w*|want\w*|hop\w* to|set to|verge|fear\w*|warn\w*|expecting|danger"
    r"|imminent|intend\w*|prepar\w*|bid to|effort to|fight\w* to|rumou?r\w*|unconfirmed"
    r"|unverified|speculat\w*)\b",
    re.I,
)
NEGATION = re.compile(
    r"n't\b|\b(?:not|never|no longer|failed|unable|cannot|denied|denies|deny|rejected|dismissed"
    r"|refuted|false)\b",
    re.I,
)
PRESENT_BE = re.compile(r"^(?:is|are|remains|remain|has been|have been|stays|has remained)$")
PRESENT_VERB = re.compile(r"^(?:holds?|controls?|retains?|besiege|encircle|surround|are \w+ing)$")
OBJ = rf"{SCOPE}{PLACE}{NOT_PART}"
OBJ_OR_IT = rf"(?:{OBJ}|(?P<it>it)\b(?!'))"  # "... still controlled it": the place named before
CHAIN = re.compile(rf"^(?:, (?P<p>{PL})|,? (?:and|as well as) {THE}{ADJ}(?P<q>{PL}))")

FELL_TO = (
    rf"(?: to {THE}(?P<a>{ACT})| into {THE}(?:hands of {THE})?(?P<a2>{ACT})(?:'s|')?(?: hands)?"
    rf"| under {THE}(?:control of {THE}(?P<a3>{ACT})|(?P<a4>{ACT}) control))?"
)
NOT_FIGURATIVE = (  # "fell silent", "fell to a 2-1 defeat", "fell sharply"
    r"(?! (?:silent|short|ill|apart|behind|sharply|asleep|victim|prey|flat|by|\d))"
    rf"(?! (?:to|into) (?!{THE}(?:hands of {THE})?{ACT}))"
)
DENY = r"(?P<v>denied|denies|deny|rejected|dismissed|refuted)(?: (?:claims|reports|rumou?rs))?"
EXPEL = r"(?P<v>pushed|drove|driven|forced|expelled|ousted|kicked|chased|flushed)"
AFTER = r"[^;@]{0,60}?(?:@[PD]\d+[^;@]{0,30}?)*, "  # "G entered X on Tuesday, retaking ..."
