"""Words the mention finder must not take for places, and adjectives that name a country.

GeoNames has a village for almost every English word ("Of", "Police", "Mobile", "Nice"), so
a capitalised common word at the start of a sentence would otherwise become a place. The
list below is ours: frequent English words, the calendar, and the vocabulary of conflict
reporting that is capitalised in titles ("Defense Ministry", "Human Rights"). It only
vetoes single-word matches, and not when the text vouches for the place ("Mobile, Alabama").
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_COMMON = """
a about above across act action add after again against age ago agree ahead aid air all
allow almost alone along already also although always am among amount an and announce
another answer any anyone anything appear apply are area argue arm around arrive art as
ask at attack attempt available away back bad bank bar base battle be bear beat beautiful
because become bed been before began begin behind being believe below best better between
big bill black blood blue board body book born both bring brother brought build building
burn business but buy by call came camp can cannot capital car care carry case cause
center central centre certain chance change charge check chief child children choice city
civil claim class clear close cold come coming common community company complete concern
condition continue control cost could council country course court cover create crime
cross current cut dark data day dead deal death decide deep defence defense degree deny
describe despite detail development did die different difficult direct director do doctor
does dog done door down draw dream drive drop during each early east eastern easy eat
economy edge effect effort eight either election else end enemy energy enough enter
entire even evening event ever every everyone evidence exactly example expect experience
explain eye face fact fail fall family far fast father fear federal feel few field fight
fighter fighters figure fill final finally find fine fire firm first five floor follow
following food foot for force forces foreign form former forward four free freedom friend
from front full fund further future gain game gas general generally get girl give given
glass go goal gold good got government great green ground group grow growth guard gun
had half hall hand hands happen happy hard has have he head health hear heart heat heavy
held help her here herself high him himself his history hit hold home hope hospital hot
hour house how however human hundred husband i idea if image important in include including
increase indeed industry information inside instead interest international into is island
issue it item its itself job join just keep key kill killed kind king know known land
language large last late later law lay lead leader learn least leave left leg legal less
let letter level liberty lie life light like likely line list listen little live loads
local long look lose loss lost lot love low lower machine made main maintain major make
man manage many market matter may maybe me mean measure media medical meet meeting member
memory men mention middle might military million mind minister ministry minute miss
mission mobile model modern moment money month more morning most mother mount move movement
much music must my myself name nation national natural nature near nearly necessary need
network never new news next nice night nine no none nor north northern not note nothing
notice now number occur of off offer office officer official often oh oil ok old on once
one only onto open operation opportunity option or order other others our out outside over
own owner page pain paper parent part party pass past patient pay peace people per perform
perhaps period person phone pick picture piece place plan plant play player point police
policy political poor popular population position positive possible power prepare present
president pressure pretty prevent price prime prison private probably problem process
produce product program project protect prove provide public pull purpose push put
question quickly quite race radio raise range rate rather reach read reading ready real
reality really reason receive recent recently record red reduce region relate remain
remember report represent republic require research resistance resource respond rest
result return reveal rich right rights rise risk river road rock role room rule run safe
said same save say scene school science sea season seat second security see seek seem sell
send senior sense series serious serve service set seven several shake share she shot
should show side sign similar simple since sing single sister sit site situation six size
skill small so social society soldier some someone something sometimes son song soon
sort sound source south southern space speak special speech spend sport spring staff stage
stand standard star start state statement station stay step still stock stop store story
street strike strong student study stuff style subject success such suddenly suffer
suggest summer support sure surface system table take talk task tax teach team tell ten
term test than thank that the their them themselves then theory there these they thing
think third this those though thought thousand threat three through throughout time to
today together tonight too top total tough toward town trade traditional training travel
treat treatment tree trial trip trouble troops true truth try turn two type under union
unit until up upon us use usually valley value various very victim victory view village
violence visit voice vote wait walk wall want war watch water way we weapon wear week
weight well west western what whatever when where whether which while white who whole whom
whose why wide wife will win wind window wish with within without woman women wonder word
work worker world worry would write writer wrong yard yeah year yes yet you young your
"""

_CALENDAR = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday today yesterday tomorrow spring summer autumn winter
"""

# Capitalised in news copy but never meant as a place.
_NEWSROOM = """
taliban government defense defence ministry army navy police minister president governor
spokesman spokesperson observatory rights human forces security council agency news press
reuters associated afp bbc cnn twitter facebook telegram youtube islamic islam allah
muslim christian jihad mujahideen insurgents militants commander general colonel major
captain sergeant official officials embassy parliament senate congress court justice
upper central northern southern eastern western greater saint st mount lake port fort
airport province district governorate oblast county municipality
"""

# Country adjectives and their countries: evidence for disambiguation, never a mention.
_DEMONYMS = """
afghan:AF algerian:DZ american:US armenian:AM azerbaijani:AZ bahraini:BH bangladeshi:BD
belarusian:BY british:GB burkinabe:BF burmese:MM chadian:TD chinese:CN colombian:CO
cuban:CU egyptian:EG emirati:AE eritrean:ER ethiopian:ET french:FR georgian:GE german:DE
indian:IN iranian:IR iraqi:IQ israeli:IL japanese:JP jordanian:JO kazakh:KZ kenyan:KE
kuwaiti:KW kyrgyz:KG lebanese:LB libyan:LY malian:ML mauritanian:MR mexican:MX
moroccan:MA nigerian:NG nigerien:NE omani:OM pakistani:PK palestinian:PS polish:PL
qatari:QA russian:RU rwandan:RW saudi:SA somali:SO sudanese:SD syrian:SY tajik:TJ
thai:TH tunisian:TN turkish:TR turkmen:TM ugandan:UG ukrainian:UA uzbek:UZ venezuelan:VE
vietnamese:VN yemeni:YE
"""
# Armed groups and forces that only fight in one country: as good a hint as "Afghan" when
# a short dispatch names the group but not the country ("The Taliban took Sheberghan").
_ACTORS = """
taliban:AF houthi:YE hts:SY sdf:SY shabaab:SO tatmadaw:MM hezbollah:LB hamas:PS
rsf:SD ansarallah:YE
"""
DEMONYMS: dict[str, str] = dict(pair.split(":") for pair in (_DEMONYMS + _ACTORS).split())

NOT_PLACES: frozenset[str] = frozenset((_COMMON + _CALENDAR + _NEWSROOM).split() + [*DEMONYMS])


def demonym_country(word: str) -> str | None:
    """The country an adjective such as "Afghan" or "Syrians" refers to, if any."""
    word = word.casefold()
    return DEMONYMS.get(word) or (DEMONYMS.get(word[:-1]) if word.endswith("s") else None)
