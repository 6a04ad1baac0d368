"""The 2023 demo vote in figures: what seed 004 (the press release) published, and the rest.

Every figure marked «seed 004» is the press release's (rounded there as people write it:
«свыше 6,6 тыс.», «почти 600»); the exact number chosen here satisfies that phrase. Everything
marked «demo» is this project's stand-in: the press release does not give it. Practices are
named by their nomination code (`reviews/demo/winners_2023.json`), regions by their FTS code.
"""

import datetime
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")

# seed 004: «Общественное голосование проводилось с 7 ноября по 8 декабря».
OPENS_AT = datetime.datetime(2023, 11, 7, 0, 0, tzinfo=MOSCOW)
CLOSES_AT = datetime.datetime(2023, 12, 8, 23, 59, tzinfo=MOSCOW)

# seed 004: «приняли участие больше 30 тыс. человек». 30 560 ordinary voters (demo) plus the
# planted clusters below: more than 30 thousand whether or not organisers exclude those.
VOTERS = 30_560

# Votes per practice. seed 004: 1.1 «свыше 6,6 тыс.», 3.1 «более 4,1 тыс.», 2.3 «свыше 2,5 тыс.»,
# 2.1 «2,4 тыс.»; the others are demo. Social policy's others average 4 150 / 2.5 = 1 660
# (seed 004: «в 2,5 раза больше, чем за другие решения»).
VOTES = {
    "1.1": 6_640,  # seed 004
    "1.2": 3_980,
    "1.3": 2_650,
    "1.4": 3_120,
    "2.1": 2_410,  # seed 004
    "2.2": 1_840,
    "2.3": 2_530,  # seed 004
    "2.4": 1_390,
    "2.5": 460,  # demo: a practice with few votes
    "3.1": 4_150,  # seed 004
    "3.2": 1_890,
    "3.3": 1_740,
    "3.4": 1_350,
}

# Votes per practice × voter's region fixed by the press release; the rest of each practice's
# votes is spread over the other regions by the weights below.
# 1.1: seed 004 «Санкт-Петербурга – более 1,1 тыс., Москвы – почти 600, Челябинской области и
# Татарстана – больше 300, свыше 235 - из Свердловской области»; in each of these regions the
# other health practices get a fifth of it on average (seed 004: «в пять раз превышает
# количество голосов, которые отдали жители этих регионов за другие решения»), e.g. in
# Санкт-Петербург (241 + 205 + 234) / 3 = 226.7 = 1 134 / 5.0. ДНР (93) and ЛНР (94) for
# 1.1 and 1.2 (seed 004: «вызвали интерес у жителей ДНР и ЛНР»); 3.1's top four regions
# (seed 004: «заинтересовала жителей Санкт-Петербурга, Москвы, ДНР и Татарстана»). The exact
# numbers, and the home regions' cells (50 for 1.1, 89 for 3.1, 65 for 2.1), are demo.
FIXED = {
    "1.1": {
        "78": 1_134,
        "77": 593,
        "74": 318,
        "16": 307,
        "66": 241,
        "50": 226,
        "93": 146,
        "94": 118,
    },
    "1.2": {"78": 241, "77": 131, "74": 58, "16": 40, "66": 46, "93": 97, "94": 84},
    "1.3": {"78": 205, "77": 104, "74": 61, "16": 104, "66": 41},
    "1.4": {"78": 234, "77": 121, "74": 72, "16": 40, "66": 58},
    "3.1": {"78": 520, "77": 410, "93": 290, "16": 262, "89": 214},
    "2.3": {"78": 380, "77": 240},
    "2.1": {"77": 230, "78": 210, "65": 260},
}
# A practice's named regions stay its top ones: no other region reaches this many votes.
CAP = {"1.1": 235, "3.1": 250}

# Where each practice comes from (winners_2023.json): residents vote for their own region's.
HOME = {
    "1.1": "50",
    "1.2": "52",
    "1.3": "16",
    "1.4": "54",
    "2.1": "65",
    "2.2": "66",
    "2.3": "78",
    "2.4": "74",
    "2.5": "72",
    "3.1": "89",
    "3.2": "31",
    "3.3": "50",
    "3.4": "78",
}
HOME_WEIGHT = 6.0  # demo
# seed 004: 2.1 and 2.3 «вызвали интерес у жителей ... Сибирского, Уральского и Приволжского
# федеральных округов» (the weights are demo).
DISTRICT_WEIGHT = {
    "2.1": {"siberian": 3.0, "ural": 3.0, "volga": 3.0},
    "2.3": {"siberian": 3.0, "ural": 3.0, "volga": 3.0},
}
# 1.1's interest outside its five named regions is thinner (demo), so they stay its top five.
FLATTEN = {"1.1": 0.6, "3.1": 0.7}

# How readily a region's residents vote (demo). seed 004 names the most active: «жители
# Москвы, Новосибирской, Свердловской, и Челябинской области, Санкт-Петербурга и Татарстана».
# Other regions default to DEFAULT_ACTIVITY; QUIET ones give a handful of votes or none.
ACTIVITY = {
    "77": 6.0,
    "54": 7.0,
    "66": 5.5,
    "74": 5.0,
    "78": 4.0,
    "16": 4.5,
    "50": 1.6,
    "52": 2.0,
    "02": 1.8,
    "63": 1.7,
    "23": 1.7,
    "61": 1.5,
    "59": 1.5,
    "24": 1.4,
    "38": 1.3,
    "55": 1.4,
    "72": 1.5,
    "86": 1.3,
    "42": 1.3,
    "22": 1.2,
    "64": 1.1,
    "56": 1.1,
    "18": 1.0,
    "21": 0.9,
    "70": 1.0,
    "36": 1.0,
    "34": 1.0,
    "25": 0.9,
    "27": 0.8,
    "31": 0.9,
    "47": 0.9,
    "89": 0.7,
    "65": 0.6,
    "93": 0.05,
    "94": 0.05,
}
DEFAULT_ACTIVITY = 0.45
QUIET = {
    "87": 0.0,
    "83": 0.0,
    "90": 0.01,
    "95": 0.0,
    "49": 0.02,
    "79": 0.03,
    "06": 0.02,
    "17": 0.02,
}

# Of the ordinary voters who choose in more than one section, the share who choose in all
# three (demo). How many choose in more than one follows from VOTERS and VOTES.
ALL_THREE = 0.15

# Time (demo, Moscow time): a launch peak, a daily rhythm, a smaller final push.
LAUNCH_DAYS = [5.0, 3.0, 2.0, 1.4]  # factor of the first days over an ordinary day
FINAL_DAYS = [1.5, 1.9, 2.4]  # the last three days
WEEKEND = 0.8
HOURLY = [  # local hour 0…23
    0.30, 0.15, 0.08, 0.05, 0.05, 0.08, 0.20, 0.50, 0.90, 1.20, 1.40, 1.40,
    1.30, 1.30, 1.30, 1.20, 1.20, 1.20, 1.30, 1.50, 1.60, 1.50, 1.10, 0.60,
]  # fmt: skip
# Hours ahead of Moscow by federal district (roughly: a district spans several zones).
UTC_SHIFT = {"ural": 2, "siberian": 4, "far_eastern": 7}
CODE_SECONDS = (30, 180)  # an ordinary voter votes 30 s – 3 min after asking for a code

# Common browsers of ordinary voters, with weights (demo).
USER_AGENTS = [
    (
        "Mozilla/5.0 (Linux; Android 13; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/119.0.0.0 Mobile Safari/537.36",
        30,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        22,
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/118.0.0.0 YaBrowser/23.9.4.104.00 SA/3 Mobile Safari/537.36",
        16,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/119.0.0.0 Safari/537.36",
        14,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/118.0.0.0 YaBrowser/23.9.0.0 Safari/537.36",
        10,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0", 5),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/17.1 Safari/605.1.15",
        3,
    ),
]
# First octets of Russian operators' address blocks; the rest of an address is drawn.
IP_FIRST_OCTETS = [5, 31, 37, 46, 62, 77, 78, 79, 85, 87, 89, 91, 92, 93, 94, 95, 109, 128,
                   176, 178, 185, 188, 193, 194, 195, 212, 213, 217]  # fmt: skip
# Mobile codes (the three digits after +7) that ordinary numbers are drawn from: all valid
# mobile ranges for the `phonenumbers` metadata (930 is partly not).
MOBILE_CODES = [*range(900, 930), *range(931, 940), *range(950, 970), *range(977, 1000)]

# Planted suspicious activity for the organisers' review screen (demo): one /24, one browser,
# a run of consecutive numbers, each vote 2–3 s after its code, at night, all for one
# practice that leads nothing. They stay counted until organisers exclude them; none of the
# figures of seed 004 above includes them.
CLUSTERS = [
    {
        "name": "night-farm",
        "practice": "1.4",
        "region": "54",
        "voters": 150,
        "start": datetime.datetime(2023, 11, 21, 3, 0, tzinfo=MOSCOW),
        "minutes": 40,
        "subnet": "91.203.177",
        "first_phone": 79130450100,
        "user_agent": (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/114.0.5735.196 Mobile Safari/537.36"
        ),
    },
    {
        "name": "small-burst",
        "practice": "2.5",
        "region": "72",
        "voters": 60,
        "start": datetime.datetime(2023, 12, 3, 2, 10, tzinfo=MOSCOW),
        "minutes": 15,
        "subnet": "178.57.212",
        "first_phone": 79220731400,
        "user_agent": (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/109.0.0.0 Safari/537.36"
        ),
    },
]
CLUSTER_CODE_SECONDS = (2.0, 3.0)
