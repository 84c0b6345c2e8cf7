"""Finglish: Persian typed in Latin letters ("pool variz kardam nayomad" = پول واریز کردم نیومد).

Iranian players without a Persian keyboard type Persian the way it sounds, and every player spells it
differently (bardasht, bardaasht, bardast; nemitunam, nemitoonam, nemitonam). Persian script does not
write short vowels and has several letters for one sound (s = س ص ث, z = ز ذ ض ظ, t = ت ط, h = ه ح,
gh = ق غ), so one Finglish word has many possible Persian spellings. This module proposes a few, most
likely first; the search keeps those its vocabulary knows (as it does for text typed with the keyboard in
the wrong layout), so recall within the first dozen matters more than the exact order.

Candidates come from two sources, in this order:

1. A lexicon of a few hundred frequent words of the help center's domain and everyday chat, with the
   verb paradigms players type most (mi-/nemi-/be-/na- + stem + person ending: nemitunam, begiram,
   nayomad), possessive and spoken endings on nouns (hesabam, poolamo, filtere), and a loose match on the
   consonant skeleton for vowel-less chat spellings (vriz, jvb). A known spelling always comes first.
2. Letter rules read by a beam search: each Latin letter or digraph has a few Persian renderings with a
   cost (-log of a rough probability) that depends on its place in the word (word-initial vowels get an
   alef, inner short vowels are usually not written, a final -e is ه). The cheapest `_BEAM` partial
   spellings are kept at each position, so a long word costs linear time, never an explosion.

`looks_finglish` tells Finglish from English with a small scored list of cues; `transliterate` gives the
single best reading of a whole text (logs and tests). Everything is pure Python and built from the
tables below at import.
"""
from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

__all__ = ["candidates", "looks_finglish", "transliterate"]

# Persian letters candidates are made of (Persian ی U+06CC and ک U+06A9, never Arabic ي ك).
PERSIAN_LETTERS = frozenset("ءآائبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")

# --- the letter rules -------------------------------------------------------------------------------
#
# Costs are -log probabilities, tuned by hand on how players type: 0 is "almost always", 1 "sometimes",
# 2-3 "rarely but it happens". Each table maps a Latin unit (one letter or a digraph) to its renderings.

_CONSONANTS: dict[str, list[tuple[str, float]]] = {
    "b": [("ب", 0.0)],
    "p": [("پ", 0.0)],
    "t": [("ت", 0.0), ("ط", 1.9)],
    "s": [("س", 0.0), ("ص", 1.7), ("ث", 2.6)],
    "j": [("ج", 0.0), ("ژ", 3.0)],
    "d": [("د", 0.0)],
    "r": [("ر", 0.0)],
    "z": [("ز", 0.0), ("ض", 2.1), ("ذ", 2.3), ("ظ", 2.5)],
    "f": [("ف", 0.0)],
    "k": [("ک", 0.0)],
    "g": [("گ", 0.0), ("ق", 2.8)],
    "l": [("ل", 0.0)],
    "m": [("م", 0.0)],
    "n": [("ن", 0.0)],
    "v": [("و", 0.0)],
    "w": [("و", 0.0)],
    "q": [("ق", 0.2), ("غ", 1.1), ("ک", 2.5)],
    "x": [("کس", 0.4), ("خ", 1.2)],  # a few chat styles write x for kh
    "c": [("ک", 0.2), ("س", 1.8)],  # English spelling: code, cash (before e, i, y: see _consonant)
    "h": [("ه", 0.5), ("ح", 0.8)],
    "y": [("ی", 0.0)],
    # digraphs
    "kh": [("خ", 0.0)],
    "sh": [("ش", 0.0)],
    "ch": [("چ", 0.0)],
    "gh": [("ق", 0.2), ("غ", 0.9)],
    "zh": [("ژ", 0.0)],
    "ck": [("ک", 0.0)],
    "ph": [("ف", 0.5)],
    "th": [("ث", 2.0), ("ت", 2.0)],  # rare Arabic-style spelling; t+h is usually two sounds
    # chat digits standing for letters Latin lacks
    "2": [("ء", 0.8), ("ئ", 0.9), ("ع", 1.2)],
    "3": [("ع", 0.1)],
    "5": [("خ", 0.5)],
    "6": [("ط", 0.5)],
    "7": [("ح", 0.1)],
    "8": [("ق", 0.5), ("غ", 1.0)],
    "9": [("ق", 0.7), ("ص", 1.0)],
    "'": [("ع", 0.4), ("", 1.0), ("ئ", 1.3), ("ء", 1.6)],
}
_DIGRAPHS = ("kh", "sh", "ch", "gh", "zh", "ck", "ph", "th")
# A digraph read as two letters (s + h) pays this extra: mashhad is rare next to eshtebah.
_APART_FROM_H = 2.8

# Vowels by place in the word. Word-initial vowels are carried by an alef (or ع, which Finglish
# does not show); inner short vowels are not written; a final -e is the silent ه of shode, khane, mishe.
_INITIAL_VOWELS: dict[str, list[tuple[str, float]]] = {
    "a": [("ا", 0.4), ("آ", 0.9), ("ع", 2.2), ("عا", 3.2)],
    "aa": [("آ", 0.2), ("ا", 1.0), ("عا", 2.6)],
    "e": [("ا", 0.2), ("ع", 1.9), ("ای", 2.1)],
    "i": [("ای", 0.1), ("ا", 2.2), ("عی", 3.2)],
    "ee": [("ای", 0.1)],
    "o": [("ا", 0.6), ("او", 0.8), ("ع", 2.0), ("آ", 2.6)],
    "u": [("او", 0.1), ("ا", 1.8), ("آ", 2.2), ("عو", 3.0)],
    "oo": [("او", 0.1), ("عو", 3.0)],
    "ou": [("او", 0.1), ("عو", 3.0)],
}
_INNER_VOWELS: dict[str, list[tuple[str, float]]] = {
    "a": [("", 0.7), ("ا", 0.7), ("ع", 2.9), ("عا", 3.4), ("آ", 3.2)],
    "aa": [("ا", 0.1), ("اع", 1.8), ("عا", 2.4), ("آ", 2.4)],  # saat = ساعت, faal = فعال
    "e": [("", 0.2), ("ی", 2.2), ("ه", 2.4), ("ع", 2.7), ("ا", 3.0), ("ئ", 3.2)],
    "i": [("ی", 0.05), ("", 3.0)],
    "ee": [("ی", 0.05)],
    "ii": [("ی", 0.05)],
    "o": [("", 0.5), ("و", 0.9), ("ا", 2.1), ("ع", 3.0)],  # block, login: English o is ا
    "u": [("و", 0.05), ("", 2.8)],
    "oo": [("و", 0.05)],
    "ou": [("و", 0.05)],
    "uu": [("و", 0.05)],
}
_FINAL_VOWELS: dict[str, list[tuple[str, float]]] = {
    "a": [("ا", 0.1), ("ه", 1.6), ("ع", 2.8)],
    "aa": [("ا", 0.1)],
    "e": [("ه", 0.2), ("", 1.3), ("ی", 2.2), ("ع", 3.0)],  # "" for ezafe and English: code, site
    "eh": [("ه", 0.1)],
    "i": [("ی", 0.05), ("ای", 1.8)],
    "ee": [("ی", 0.05)],
    "ii": [("ی", 0.05)],
    "o": [("و", 0.2), ("", 1.8), ("ه", 2.5)],
    "u": [("و", 0.05), ("وع", 2.5)],
    "oo": [("و", 0.05), ("وع", 2.5)],
    "ou": [("و", 0.05)],
}
_VOWELS = frozenset("aeiou")
_VOWEL_UNITS = ("aa", "ee", "ii", "oo", "ou", "uu")

_HIDDEN_FINAL_AIN = 2.6  # an unheard ع after the last consonant (jam = جمع): rare but real
_BEAM = 48  # partial spellings kept per position: enough for the top dozen, bounded for any length


def _clean(word: str) -> str:
    """Lower case, circumflex vowels as doubled (â = aa), typographic apostrophes as ', nothing else."""
    word = word.lower().replace("â", "aa").replace("ā", "aa").replace("û", "u").replace("î", "i")
    word = re.sub("[\u2018\u2019\u02bc`\u00b4]", "'", word)
    return re.sub(r"[^a-z0-9']", "", word)


def _unit_options(word: str, i: int) -> list[tuple[int, list[tuple[str, float]]]]:
    """The Latin units that start at `word[i]` (as their lengths) with their Persian renderings."""
    n = len(word)
    ch = word[i]
    prev = word[i - 1] if i else ""
    nxt = word[i + 1] if i + 1 < n else ""
    if ch in _VOWELS:
        return _vowel_options(word, i)
    if ch == "y" and prev == "i" and nxt in _VOWELS:
        # y after i is mostly the glide players add (hoviyat, miyad), not a second ی
        return [(1, [("", 0.3), ("ی", 1.0)])]

    out: list[tuple[int, list[tuple[str, float]]]] = []
    two = word[i:i + 2]
    if two in _DIGRAPHS:
        out.append((2, _CONSONANTS[two]))
    if two == "kh" and word[i + 2:i + 3] == "a" and i + 3 < n:
        # the silent و of خوا (khastam = خواستم, darkhast, mikham = میخوام)
        out.append((3, [("خوا", 1.0)]))
    if len(two) == 2 and two[0] == two[1] and two[0].isalpha() and two[0] not in _VOWELS:
        # a doubled consonant (tashdid) is written once: ettelaat, melli, avval
        out.append((2, [(p, c + 0.1) for p, c in _consonant(word, i)]))
    single = _consonant(word, i)
    extra = 0.0
    if nxt == "h" and two in _DIGRAPHS:
        extra += _APART_FROM_H
    if prev == ch:
        extra += 1.8  # both letters of a doubled consonant written: barresi = بررسی
    out.append((1, [(p, c + extra) for p, c in single]))
    return out


def _vowel_options(word: str, i: int) -> list[tuple[int, list[tuple[str, float]]]]:
    n = len(word)
    prev = word[i - 1] if i else ""
    out: list[tuple[int, list[tuple[str, float]]]] = []
    for length in (2, 1):
        unit = word[i:i + length]
        if len(unit) < length:
            continue
        end = i + length == n
        if length == 2 and not (unit in _VOWEL_UNITS or (unit == "eh" and end)):
            continue
        if i == 0 and end:  # a one-vowel word: o (he); a, e rare
            one = {"o": [("او", 0.1)], "a": [("آ", 0.5), ("ا", 0.8)], "e": [("ای", 1.0), ("ا", 1.2)]}
            out.append((length, one.get(unit, _INITIAL_VOWELS.get(unit, []))))
            continue
        if i == 0:
            table = _INITIAL_VOWELS
        elif end:
            table = _FINAL_VOWELS
        else:
            table = _INNER_VOWELS
        if unit not in table:
            continue
        opts = list(table[unit])
        if table is _INNER_VOWELS and unit == "a":
            opts = _inner_a(word, i)
        if unit == "a" and i == n - 2 and word[-1] == "n" and n >= 5:
            # the adverb ending -an is written ا (tanvin): lotfan = لطفا, aslan = اصلا, hatman = حتما
            out.append((2, [("ا", 1.4)]))
        if unit == "o" and table is _INNER_VOWELS and word[i + 1:i + 2] == "a":
            # o before a usually hides an ع: moarefi = معرفی, moaf = معاف, moamele = معامله
            opts.append(("ع", 1.2))
        if unit == "e" and prev == "a" and table is _INNER_VOWELS:
            opts.append(("ئ", 1.6))  # a-e is a hamza: motmaen = مطمئن, raees = رئیس
        out.append((length, opts))
    return out


def _consonant(word: str, i: int) -> list[tuple[str, float]]:
    ch = word[i]
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if ch == "c" and nxt in ("e", "i", "y"):
        return [("س", 0.4), ("ک", 0.9)]
    if ch == "h" and i == len(word) - 1:
        return [("ه", 0.1), ("ح", 1.5)]  # final h: rah, eshtebah, dargah; sobh, sath are rarer
    if ch in _CONSONANTS:
        return _CONSONANTS[ch]
    return [("", 0.5)]  # a digit with no letter meaning (or anything else): drop it rather than fail


def _inner_a(word: str, i: int) -> list[tuple[str, float]]:
    """An inner `a`: ا when long (ā), nothing when short. Finglish does not tell them apart, so lean
    on where it is: an `a` before the person and possessive endings -am -at -ad -ash, the infinitive
    -dan/-tan or the comparative -tar is short (kardam, hesabam, shodan, bishtar); the last vowel of a word before one final consonant is
    a little more often long (hesab, javab, zaman, sefaresh); elsewhere both are as likely.
    """
    rest = word[i + 1:]
    if rest in _SHORT_BEFORE or (rest == "n" and word[i - 1] in "dt") or (rest == "r" and word[i - 1] == "t"):
        return [("", 0.35), ("ا", 1.1), ("ع", 3.0)]
    if len(rest) == 1 or rest in _DIGRAPHS:
        return [("ا", 0.6), ("", 0.8), ("ع", 2.9), ("عا", 3.4), ("آ", 3.2)]
    return _INNER_VOWELS["a"]


_SHORT_BEFORE = frozenset({"m", "t", "d", "sh", "nd", "mo", "to", "sho", "mun", "tun", "shun"})


def _beam(word: str, width: int = _BEAM) -> list[tuple[str, float]]:
    """All readings of `word` by the letter rules, cheapest first, at most `width` of them."""
    n = len(word)
    states: list[dict[str, float]] = [{} for _ in range(n + 1)]
    states[0][""] = 0.0
    for i in range(n):
        if not states[i]:
            continue
        kept = sorted(states[i].items(), key=lambda kv: kv[1])[:width]
        for length, renderings in _unit_options(word, i):
            target = states[i + length]
            for out, cost in kept:
                for persian, c in renderings:
                    cand, total = out + persian, cost + c
                    if total < target.get(cand, float("inf")):
                        target[cand] = total
    final = [(out, cost) for out, cost in states[n].items() if out]
    if word[-1] not in _VOWELS and word[-1] not in "h'23":
        # a final ع after a consonant is not heard, so not typed: jam = جمع, ghat = قطع
        final += [(out + "ع", cost + _HIDDEN_FINAL_AIN) for out, cost in final]
    final.sort(key=lambda kv: kv[1])
    return final[:width]


# --- the lexicon --------------------------------------------------------------------------------------
#
# One line per word: Latin spellings players type | Persian spellings, the usual one first. Spellings
# that differ only in the ways `_key` folds away (oo/u/ou, ee/i, w/v, q/gh, doubled letters, a final -eh,
# the y glide in hoviyat) need not be listed.

_LEXICON = """
pul pol poul | پول
variz | واریز
varizi | واریزی
bardasht bardasht bardaasht | برداشت
hesab | حساب
hesabi | حسابی
ramz | رمز
kart cart | کارت
bonus bonos bunus bounus bonoos | بونوس بنوس
shart | شرط
sharzh sharj sharge sharg | شارژ
ehraz | احراز
hoviat | هویت
tayid taid taeed taiid tayeed taayid | تایید
code kod cod | کد
sms | پیامک اسامس
email imeil imel emeil imail emeyl | ایمیل
poshtibani poshtibany | پشتیبانی
poshtiban | پشتیبان
support saport sapport | ساپورت
telegram telegeram | تلگرام
tiket ticket tikt | تیکت
chera chra chere | چرا
chejori chejuri chjori chejoori chegori | چجوری
chetor chetur chtor | چطور
chetori chetuori | چطوری
yad | یاد
nist nis | نیست
hast | هست
hastam | هستم
hasti | هستی
hastim | هستیم
hastin | هستین
hastid | هستید
hastan hastand | هستن هستند
block blok bolok belak bloc blak | بلاک
blockam blokam | بلاکم
login lagin | لاگین
account akant acount ekant akaunt | اکانت
vorud vrod | ورود
sabtenam sabtnam sabtename | ثبتنام
sabt | ثبت
nam naam | نام
esm | اسم
faramush faramosh | فراموش
password pasvord pasword passvord | پسورد
mojudi mojodi mogudi | موجودی
tarakonesh trakonesh tarakonsh | تراکنش
pardakht pardaakht | پرداخت
dargah | درگاه
shomare shomareh | شماره
meli melli | ملی
madarek | مدارک
madrak madrk | مدرک
aks | عکس
selfie selfi | سلفی
upload aplod apload | آپلود
rad | رد
tether teter tetr | تتر
arz | ارز
ramzarz | رمزارز
digital dijital | دیجیتال
kif | کیف
bank | بانک
banki | بانکی
sheba | شبا
shetab | شتاب
tasvie tasviye | تسویه
entezar | انتظار
peygiri peigiri pigiri | پیگیری
karmozd | کارمزد
saghf saqf | سقف
hadaghal hadeaghal | حداقل
hadaksar hadeaksar hadaxar | حداکثر
mahdudiat mahdodiat | محدودیت
limit | لیمیت
gardesh | گردش
jayeze jaize jayze | جایزه
raygan rayegan raigan | رایگان
spin espin | اسپین
free feri | فری
cashback kashbak kashback | کشبک
cashout kashout kashaut | کشاوت
takhfif | تخفیف
hedie hedye | هدیه
laghv lagv | لغو
masdud | مسدود
ghofl qofl | قفل
hack hak hk | هک
etelaat etelat | اطلاعات
taghir taghyir taghier | تغییر
avaz | عوض
avazi | عوضی
poya pouya | پویا
shaparak | شاپرک
fail feil | ناموفق
obur | عبور
payamak | پیامک
mobile mobail mobayl | موبایل
gushi | گوشی
adres address | آدرس
javab jvb | جواب
chat | چت
online onlain anlain | آنلاین
shekayat | شکایت
moshkel mushkel | مشکل
komak | کمک
lotfan lotfa lotfn | لطفا
mersi merci | مرسی
salam slm | سلام
mamnun | ممنون
mamnunam | ممنونم
mmnon mmnun | ممنون
bbkhshid | ببخشید
bbkhshin | ببخشین
shartbandi | شرطبندی
bandi | بندی
bakht | باخت
bord | برد
bazi baazi | بازی
ghat qat ghate | قطع
kazino casino | کازینو
football fotbal futbal | فوتبال
zende | زنده
live laiv | لایو
pish | پیش
bini | بینی
pishbini | پیشبینی
natije | نتیجه
site sait sayt | سایت
filter filtr | فیلتر
filtershekan | فیلترشکن
link | لینک
jadid | جدید
app ap | اپ
application aplikeishen | اپلیکیشن
barname | برنامه
download danlod | دانلود
update apdeit apdeyt | آپدیت
chie chiye | چیه
chi | چی
chiz | چیز
chizi | چیزی
koja | کجا
kojast | کجاست
ku | کو
kei key ki | کی
kheili kheyli khayli khili | خیلی
dige dighe | دیگه
alan | الان
emruz | امروز
diruz | دیروز
farda | فردا
saat saaat | ساعت
ruz | روز
hafte | هفته
mah | ماه
daghighe daqiqe daghige | دقیقه
ta | تا
chand | چند
chandta | چندتا
cheghadr cheqadr chghadr cheghad chegadr | چقدر
chikar | چیکار
man | من
to | تو
ma | ما
shoma | شما
un on | اون
in | این
inja | اینجا
unja | اونجا
hamin | همین
hamun | همون
ke | که
ro | رو
ba | با
dar | در
az | از
be | به
bara | برا
baraye | برای
vase | واسه
ham | هم
age | اگه
agar | اگر
vali | ولی
ama | اما
ya | یا
va | و
na | نه
are | آره
bale | بله
hanuz | هنوز
aslan | اصلا
dorost | درست
eshtebah | اشتباه
eshtebahi | اشتباهی
ghabl qabl | قبل
baad bad ba'd ba3d | بعد
sabr | صبر
khod | خود
khodam | خودم
khodet | خودت
khodesh | خودش
chon | چون
mage | مگه
dalil | دلیل
ghanun | قانون
ghavanin | قوانین
sharayet sharait | شرایط
vaghti vaqti | وقتی
pas | پس
kolahbardari | کلاهبرداری
kolahbardar | کلاهبردار
motmaen motmaien motma'en | مطمئن
amniat | امنیت
gheir gheyr | غیر
faal fa'al | فعال
gheirfaal | غیرفعال
dastresi | دسترسی
internet | اینترنت
error eror | ارور
khata | خطا
darkhast | درخواست
anjam | انجام
ersal | ارسال
daryaft | دریافت
mablagh mablaq | مبلغ
toman tomn | تومان تومن
dolar dollar | دلار
rial | ریال
hezar | هزار
milion million | میلیون
barresi baresi | بررسی
vaziat | وضعیت
karshenas | کارشناس
jaali jali | جعلی
dobare | دوباره
bazam | بازم
faghat faqat | فقط
hame | همه
hich | هیچ
bedun | بدون
khodkar | خودکار
karbari | کاربری
username | یوزرنیم
user | یوزر
emtiaz | امتیاز
sath | سطح
bashgah | باشگاه
avalin | اولین
aval | اول
moarefi moarrefi | معرفی
dust | دوست
zarib | ضریب
shans | شانس
slot eslat | اسلات
poker | پوکر
team tim | تیم
gol | گل
mosabeghe | مسابقه
lig league | لیگ
bet | بت
form | فرم
hazf | حذف
baste | بسته
baz | باز
kharab | خراب
hang | هنگ
gir | گیر
load lod | لود
safhe safe | صفحه
dokme | دکمه
khali | خالی
sefr | صفر
movafagh | موفق
namovafagh | ناموفق
kam | کم
ziad | زیاد
takhir ta'khir | تاخیر
fori | فوری
sari sari' | سریع
zud | زود
dir | دیر
vaght vaqt | وقت
montazer | منتظر
rahnamayi rahnamaei | راهنمایی
rahnama | راهنما
soal so'al | سوال
payam | پیام
admin | ادمین
operator | اپراتور
khub khob | خوب خب
khube | خوبه
bashe | باشه
iran | ایران
irani | ایرانی
visa viza | ویزا
crypto kripto | کریپتو
bitcoin bitkoin | بیتکوین
tron | ترون
wallet valet | ولت
shabake | شبکه
hash | هش
etebar | اعتبار
ghomar | قمار
etiad | اعتیاد
tark | ترک
esteraht | استراحت
tavalod | تولد
passport pasport | پاسپورت
gozarname | گذرنامه
ghabz | قبض
tamas | تماس
telefon telephone | تلفن
whatsapp vatsap | واتساپ
instagram | اینستاگرام
bot | بات ربات
robot robat | ربات
kanal channel | کانال
check chek | چک
ye | یه
yek | یک
do | دو
se | سه
gheire | غیر
rasid | رسید
gozashte | گذشته
tool tul | طول
varizam | واریزم
salaam | سلام
alaykom aleikom aleykom alaikom | علیکم
dorud | درود
khaste khasteh | خسته
bekheir bekheyr bakheir bakheyr bekhair bkheir bkhr | بخیر
shab | شب
sobh sob | صبح
asr | عصر
adab | ادب
ehteram ehtram | احترام
aziz | عزیز
azizan | عزیزان
dustan | دوستان
rofagha | رفقا
mohtaram | محترم
hamkar | همکار
modir | مدیر
omidvaram | امیدوارم
agha | آقا
aghaye aghay | آقای
khanum | خانم
motshakeram moteshakeram mochakeram | متشکرم
sepas | سپاس
sepasgozaram | سپاسگزارم
tashakor tashakkor | تشکر
faravan farvan | فراوان
pishapish | پیشاپیش
ghorban qorban | قربان
ghorbun | قربون
garm | گرم
dast | دست
dard | درد
mokhles | مخلص
khoda | خدا
hafez | حافظ
negahdar | نگهدار
khodahafez khodafez khdafez khdhfz | خداحافظ
ozr | عذر
mazerat maazerat | معذرت
sharmande sharmandeh | شرمنده
mozahem | مزاحم
tulani | طولانی
momkene | ممکنه
alo | الو
kasi | کسی
rastesh | راستش
ajale ajaleh ajele | عجله
orjansi urzhansi | اورژانسی
zudtar | زودتر
saritar | سریعتر
rasidegi | رسیدگی
khahesh | خواهش
lotf | لطف
taklif | تکلیف
kari | کاری
asab | اعصاب
asabani | عصبانی
divune | دیوونه
kalafe kalafeh | کلافه
narahat | ناراحت
maskhare | مسخره
vaghean vaghan vaqean vaghen | واقعا
paisa paysa peisa paise | پول
astim | هستیم
astam astem | هستم
rakam | رقم
dakhil | داخل
herat | هرات
kabul | کابل
"""

# Verbs: present stem (Latin spellings | Persian) and past stem. Players write the prefixes mi-, nemi-,
# be-, na- joined to the verb and end it with the spoken person endings; Afghan players writing Dari,
# me- and neme- (mekasha, it takes: -a where Tehran says -e) and their stems (tan, can: mitanim).
_PRESENT_STEMS = """
kon | کن
bakhsh | بخش
sh | ش
shav | شو
kha | خوا
khah | خواه
tun ton | تون
tavan tan | توان
gir | گیر
zan | زن
kesh kash | کش
d | د
deh | ده
res | رس
bin | بین
dun don | دون
g | گ
r | ر
rav | رو
dar | دار
ferest frest ferst | فرست
saz | ساز
band | بند
mun mon | مون
pors | پرس
khor | خور
bar | بر
baz | باز
khun | خون
gard | گرد
bash | باش
bardar | بردار
pardaz | پرداز
a | ا
"""
_PAST_STEMS = """
kard | کرد
shod | شد
zad | زد
gereft greft gerft | گرفت
dad | داد
resid | رسید
khast | خواست
tunest tonest tunst | تونست
tavanest | توانست
dasht | داشت
did | دید
raft | رفت
goft gof | گفت
bord | برد
bakht | باخت
ferestad frestad ferstad | فرستاد
gozasht | گذاشت
keshid | کشید
bast | بست
sakht | ساخت
khord | خورد
umad omad | اومد
amad | آمد
dunest donest | دونست
avord | آورد
pardakht | پرداخت
bardasht | برداشت
bargasht | برگشت
gasht | گشت
khund khond | خوند
nevesht | نوشت
porsid | پرسید
mund mond | موند
"""
_PRESENT_ENDINGS = {"am": "م", "i": "ی", "e": "ه", "ad": "د", "im": "یم", "in": "ین", "id": "ید",
                    "an": "ن", "and": "ند", "a": "ه"}
_PRESENT_ENDINGS_V = {"m": "م", "y": "ی", "i": "ی", "d": "د", "ym": "یم", "im": "یم", "yn": "ین",
                      "in": "ین", "yd": "ید", "id": "ید", "n": "ن", "nd": "ند"}  # after a vowel (kha-)
_PAST_ENDINGS = {"am": "م", "i": "ی", "": "", "im": "یم", "in": "ین", "id": "ید", "an": "ن",
                 "and": "ند", "e": "ه"}
_PRESENT_PREFIXES = {"mi": "می", "nemi": "نمی", "be": "ب", "na": "ن", "": "", "barmi": "برمی",
                     "barnemi": "برنمی", "me": "می", "neme": "نمی"}
_PAST_PREFIXES = {"": "", "na": "ن", "mi": "می", "nemi": "نمی"}
_BARE_PRESENT = frozenset({"kon", "bash", "dar", "bardar"})  # present stems said without a prefix

# Endings on nouns: possessives (hesabam), the spoken object marker (poolamo), plural, the spoken "is"
# (filtere = فیلتره), which is also the ezafe (gardeshe bonus = گردش بونوس: nothing written, so the
# bare word comes first). Each ending is (Persian endings, extra cost).
_NOUN_SUFFIXES: dict[str, tuple[list[str], float]] = {
    "am": (["م"], 0.0), "at": (["ت", "ات"], 0.0), "et": (["ت"], 0.0), "esh": (["ش"], 0.0), "ash": (["ش"], 0.1),
    "emun": (["مون"], 0.0), "amun": (["مون"], 0.0), "etun": (["تون"], 0.0), "atun": (["تون"], 0.1),
    "eshun": (["شون"], 0.0), "ashun": (["شون"], 0.1), "amo": (["مو"], 0.0), "eto": (["تو"], 0.0),
    "esho": (["شو"], 0.0), "o": (["و"], 0.0), "ro": (["رو"], 0.2), "ha": (["ها"], 0.0),
    "haye": (["های"], 0.0), "hay": (["های"], 0.0), "haro": (["هارو"], 0.1), "hamo": (["هامو"], 0.1),
    "a": (["ا"], 0.1), "aro": (["ارو"], 0.1), "aye": (["های"], 0.1), "i": (["ی"], 0.0), "e": (["", "ه"], 0.0),
    "ie": (["یه"], 0.0), "iye": (["یه"], 0.0),
}
# After a word ending in ی (bazi, mojudi): the same endings without their vowel; -am is written ام.
_NOUN_SUFFIXES_I: dict[str, tuple[list[str], float]] = {
    "m": (["م"], 0.0), "am": (["ام", "م"], 0.0), "t": (["ت"], 0.0), "sh": (["ش"], 0.0),
    "mun": (["مون"], 0.0), "tun": (["تون"], 0.0), "shun": (["شون"], 0.0), "mo": (["مو"], 0.0),
    "ha": (["ها"], 0.0), "e": (["", "ه"], 0.0), "ye": (["ه", ""], 0.0), "ro": (["رو"], 0.0),
    "a": (["ا"], 0.1), "aye": (["های"], 0.1), "haye": (["های"], 0.0),
}
# After a word ending in ا or و (koja, kazino).
_NOUN_SUFFIXES_AV: dict[str, tuple[list[str], float]] = {
    "m": (["م"], 0.0), "t": (["ت"], 0.0), "sh": (["ش"], 0.0), "mun": (["مون"], 0.0),
    "tun": (["تون"], 0.0), "shun": (["شون"], 0.0), "mo": (["مو"], 0.0), "ha": (["ها"], 0.0),
    "ro": (["رو"], 0.0), "ye": (["", "ی"], 0.0),
}
# After a word ending in a silent ه (shomare, hafte): spoken possessives drop the e (shomaram = شمارم),
# written ones keep it (شماره‌ام, normalized شمارهام); -ye is the ezafe.
_NOUN_SUFFIXES_HEH: dict[str, tuple[list[str], float]] = {
    "am": (["م", "ام"], 0.0), "at": (["ت", "ات"], 0.0), "esh": (["ش", "اش"], 0.0),
    "emun": (["مون"], 0.0), "etun": (["تون"], 0.0), "eshun": (["شون"], 0.0), "amo": (["مو"], 0.0),
    "o": (["و"], 0.1),
}
_NOUN_SUFFIXES_HEH_KEPT: dict[str, tuple[list[str], float]] = {
    "ye": (["", "ی"], 0.0), "ha": (["ها"], 0.0), "haye": (["های"], 0.0), "ro": (["رو"], 0.0),
}


_KEY_DIGITS = str.maketrans({"'": None, "2": None, "3": None, "7": "h", "5": "kh", "8": "gh"})


def _key(latin: str) -> str:
    """Fold the spelling variations that do not change the Persian word: oo/ou/u, ee/i, aa/a, w/v,
    q/gh, c/k, doubled letters, a final -eh, the y glide next to i, apostrophes and chat digits."""
    s = _clean(latin).translate(_KEY_DIGITS)
    s = s.replace("ck", "k").replace("w", "v").replace("q", "gh")
    s = re.sub(r"c(?!h)", "k", s)
    s = s.replace("oo", "u").replace("ou", "u").replace("ee", "i")
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(?<=i)y(?=[aeou])|(?<=[aeou])y(?=i)", "", s)
    s = re.sub(r"eh$", "e", s)
    return s


def _loose(key: str) -> str:
    """The consonants of a folded spelling, the h of a digraph dropped: what is left when a player
    leaves out vowels (vriz, jvb) or writes sh as s (bardast). Lexicon words are indexed by it."""
    return re.sub("(?<=[skzcg])h", "", re.sub("[aeiou]", "", key))


def _is_subsequence(short: str, long: str) -> bool:
    """Whether `short` is `long` with some letters left out."""
    letters = iter(long)
    return all(ch in letters for ch in short)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _parse(table: str) -> list[tuple[list[str], list[str]]]:
    rows = []
    for line in table.strip().splitlines():
        latin, persian = line.split("|")
        rows.append((latin.split(), persian.split()))
    return rows


def _build() -> tuple[dict[str, dict[str, float]], dict[str, list[tuple[str, str, float]]]]:
    exact: dict[str, dict[str, float]] = {}
    skeleton: dict[str, list[tuple[str, str, float]]] = {}

    def add(latin: str, persian: str, cost: float) -> None:
        k = _key(latin)
        slot = exact.setdefault(k, {})
        if cost < slot.get(persian, float("inf")):
            slot[persian] = cost

    words = _parse(_LEXICON)
    for latins, persians in words:
        for latin in latins:
            for rank, persian in enumerate(persians):
                add(latin, persian, 0.05 * rank)
                loose = _loose(_key(latin))
                if len(loose) >= 3:
                    skeleton.setdefault(loose, []).append((_key(latin), persian, 0.05 * rank))
    # nouns with endings: only the first (usual) Persian spelling gets them
    for latins, persians in words:
        base = persians[0]
        for latin in latins:
            k = _key(latin)
            if k[-1] not in _VOWELS:
                groups = [(k, base, _NOUN_SUFFIXES)]
            elif base.endswith("ی"):
                groups = [(k, base, _NOUN_SUFFIXES_I)]
            elif base.endswith(("ا", "و")):
                groups = [(k, base, _NOUN_SUFFIXES_AV)]
            elif base.endswith("ه") and k.endswith("e"):
                groups = [(k[:-1], base[:-1], _NOUN_SUFFIXES_HEH), (k, base, _NOUN_SUFFIXES_HEH_KEPT)]
            else:
                continue
            for stem_latin, stem_fa, table in groups:
                for suffix, (endings, extra) in table.items():
                    for rank, ending in enumerate(endings):
                        add(stem_latin + suffix, stem_fa + ending, 0.3 + extra + 0.1 * rank)

    def verb_forms(stems: str, prefixes: dict[str, str], endings: dict[str, str],
                   vowel_endings: dict[str, str], past: bool) -> None:
        for latins, persians in _parse(stems):
            stem_fa = persians[0]
            for latin in latins:
                for pre, pre_fa in prefixes.items():
                    if not pre and not past and latin not in _BARE_PRESENT:
                        continue  # konam, bashe, daram are said bare; bare sh-am, r-e would be noise
                    if pre and latin[0] in _VOWELS:
                        # a vowel after the prefix takes a y: na + umad = نیومد, mi + a + d = میاد,
                        # be + a + d = بیاد; the alef of او goes, آ becomes ا (نیامد)
                        body = stem_fa[1:] if stem_fa.startswith("او") else stem_fa.replace("آ", "ا", 1)
                        if pre == "be":
                            fa_prefix, latin_prefixes = "بی", ["bi", "biy"]
                        else:
                            fa_prefix = pre_fa if pre_fa.endswith("ی") else pre_fa + "ی"
                            latin_prefixes = [pre, pre + "y"]
                    else:
                        body, fa_prefix, latin_prefixes = stem_fa, pre_fa, [pre]
                    table = vowel_endings if latin[-1] in _VOWELS else endings
                    for lp in latin_prefixes:
                        for end, end_fa in table.items():
                            if not end and not past and pre not in ("be", "na"):
                                continue  # a bare present stem is an imperative: bezan, nakon
                            if len(latin) == 1 and end in ("ad", "and"):
                                continue  # mi-d-ad is not a word (formal Persian has the stem deh)
                            add(lp + latin + end, fa_prefix + body + end_fa, 0.1)

    verb_forms(_PRESENT_STEMS, _PRESENT_PREFIXES, {**_PRESENT_ENDINGS, "": ""}, _PRESENT_ENDINGS_V,
               past=False)
    verb_forms(_PAST_STEMS, _PAST_PREFIXES, _PAST_ENDINGS, _PAST_ENDINGS, past=True)
    return exact, skeleton


_EXACT, _SKELETON = _build()
_PERSIAN_WRITTEN = frozenset(spelling for forms in _EXACT.values() for spelling in forms)


def _listed() -> dict[str, frozenset[str]]:
    """Each Latin word of the lexicon's table (its key) -> the Persian spellings its lines give it."""
    out: dict[str, frozenset[str]] = {}
    for latins, persians in _parse(_LEXICON):
        for key in map(_key, latins):
            out[key] = out.get(key, frozenset()) | frozenset(persians)
    return out


_LISTED = _listed()
_BASE_WORDS = frozenset(_LISTED)


# --- public API ---------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _candidates(word: str, limit: int, use_lexicon: bool) -> tuple[str, ...]:
    clean = _clean(word)
    if not re.search("[a-z]", clean):
        return ()  # a number, or nothing Latin at all
    ranked: dict[str, float] = {}

    def offer(persian: str, cost: float) -> None:
        if persian and cost < ranked.get(persian, float("inf")):
            ranked[persian] = cost

    if use_lexicon:
        key = _key(clean)
        for persian, cost in _EXACT.get(key, {}).items():
            offer(persian, cost)
        # a known word typed with letters left out: its vowels (vriz, jvb) or the h of sh (bardast)
        loose = _loose(key)
        if len(loose) >= 3:
            for full_key, persian, cost in _SKELETON.get(loose, ()):
                if _is_subsequence(key, full_key):
                    offer(persian, 0.8 + cost)
    # The rules' readings come after every known spelling.
    for persian, cost in _beam(clean):
        offer(persian, 1.0 + cost if use_lexicon else cost)
    order = sorted(ranked.items(), key=lambda kv: kv[1])
    return tuple(p for p, _ in order[:limit])


def candidates(word: str, limit: int = 12) -> list[str]:
    """Persian spellings of one Finglish word, most likely first, without duplicates, at most `limit`.

    `word` is one word in Latin letters (case-insensitive), possibly with chat digits (3 = ع, 7 = ح,
    2 = ء) or an apostrophe; anything else in it is ignored. Empty for a word with no letter.
    >>> candidates("bardasht")[0]
    'برداشت'
    """
    if limit <= 0:
        return []
    return list(_candidates(word, limit, True))


def spelled(word: str) -> frozenset[str]:
    """The Persian spellings the lexicon lists for one Latin `word` as a word of its own (khaste = خسته):
    not the forms it makes of a stem or with a particle (khaste as خواسته, from khast; ramzo), nor a word
    it knows only with letters left out; empty for those and for a word it does not know."""
    return _LISTED.get(_key(_clean(word)), frozenset())


def _rule_candidates(word: str, limit: int = 12) -> list[str]:
    """The letter rules alone, without the lexicon (to measure how well they do on unknown words)."""
    return list(_candidates(word, limit, False))


_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9'\u2019\u00e2]*[A-Za-z][A-Za-z0-9'\u2019\u00e2]*")


def transliterate(text: str) -> str:
    """The best Persian reading of every Latin word of `text`; everything else is left as it is.

    Two words separated by one space are read as one when together they are a lexicon word and at
    least one of them alone is not a known word ("var iz" = واریز, "bar dasht" = برداشت).
    >>> transliterate("ramz yadam nist")
    'رمز یادم نیست'
    """
    out: list[str] = []
    pos = 0
    matches = list(_LATIN_WORD_RE.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        out.append(text[pos:m.start()])
        word, end = m.group(0), m.end()
        if i + 1 < len(matches):
            nxt = matches[i + 1]
            if text[end:nxt.start()] == " " and joins(word, nxt.group(0)):
                word, end = word + nxt.group(0), nxt.end()
                i += 1
        found = [] if _keeps_latin(word) else candidates(word, 1)
        out.append(found[0] if found else word)
        pos = end
        i += 1
    out.append(text[pos:])
    return "".join(out)


# Latin tokens players type as they are inside Persian text: transliterate leaves them alone.
_KEEP_LATIN = _words("2fa kyc usdt btc eth trc20 erc20 bep20 vpn otp vip rtp id pdf url ip ok")


def _keeps_latin(word: str) -> bool:
    """Acronyms, and tokens with a digit that is not a chat letter (trc20, 4g)."""
    return word.lower() in _KEEP_LATIN or bool(re.search("[014]", word))


def writes(persian: str) -> bool:
    """Whether the lexicon writes this Persian word, one of the everyday words and forms players type
    (میشه, الان, گفتن, میزنم): a real word, whatever the knowledge base has, not a typo."""
    return persian in _PERSIAN_WRITTEN


def latin_term(word: str) -> bool:
    """Whether a Latin `word` is a token players type as it is inside Persian text (usdt, kyc, trc20,
    4g), or three letters or more of one: "trc" or "trc2", on the way to trc20 (or typed "trc 20"), is
    not ترک (quit)."""
    w = word.lower()
    return _keeps_latin(w) or (len(w) >= 3 and any(k.startswith(w) for k in _KEEP_LATIN))


def joins(first: str, second: str) -> bool:
    """Whether two typed words are one word split by a stray space (var iz, bar dasht)."""
    if _key(first + second) not in _BASE_WORDS:
        return False
    return _key(first) not in _EXACT or _key(second) not in _EXACT


# --- telling Finglish from English --------------------------------------------------------------------

# English words of support questions: function words and the English-only vocabulary of the domain.
# Words Finglish also uses as they are (bonus, code, chat, login, site, ...) and short words that are
# Persian too ("to" = تو, "in" = این, "man" = من, "be" = به, "do" = دو, "age" = اگه) are not here:
# they decide nothing.
_ENGLISH = _words("""
a an the is was were am been being i my me we our you your he she it its they them their this that
these those of for from with without at on by about into out up down over after before again and or
but not no yes if then than so because how what when where why who which can could would should will
shall must may might does did done have has had get got getting go going went make made take took
takes help please hi hello thanks thank there here all any some every more most just only also very
still yet since until while money deposit deposits deposited withdraw withdrawal withdrawals
withdrawn withdrawing pending processing approved rejected declined decline verify verified
verification documents document password reset forgot forgotten phone number working work works
showing show shown credited received receive sent send card transfer limits fee fees time days day
hours hour minutes week weeks contact agent reply answer game games bets betting odds sport sports
slots spins promo wagering requirement requirements balance safe secure blocked locked closed close
open log sign signed signup register registration new old change delete cancel cancelled refund
problem issue wrong need want cant can't won't isn't doesn't didn't don't haven't wasn't it's i'm
i've id proof uploaded missing lost stuck late long many much minimum maximum first cash rules
terms condition conditions level levels points claim claimed use used using expired network
someone sent arrived arriving accepted legit responsible gambling addiction exclusion break set
keeps crashing crashed loading available changed settled deducted added failed payment program
taking too explained authentication factor two status transaction
""")

# Lexicon words that are plain English too: seen alone they say nothing about the language.
_SHARED = _words("""
bonus code sms email telegram ticket block login account password upload tether digital bank limit
free spin cashback cashout hack mobile address chat online football casino live site filter link app
application download update internet error username user slot poker team bet form load admin operator
visa crypto bitcoin wallet hash passport telephone whatsapp instagram bot robot channel check support
selfie tool in to man be do are age bad key ma pas ham gol tim lig league hang sari dir kam bord
""")

# Words that are unmistakably Finglish (the common verbs, question words and domain nouns).
_FINGLISH_WORDS = _words("""
kardam kardi karde kardim kardin kardan kardid nakardam nakardi shod shode shodam nashod nashode
mishe nemishe beshe misham nemisham mikham nemikham mikhay mikhastam mitunam nemitunam mitoonam
nemitoonam mitonam nemitonam nemiad nemiyad miad miyad nayomad nayumad nayoomad naumad umad oomad omad
chera chra chejori chejuri chejoori chetor chetori chie chiye chi chikar koja kojast kei kheili
kheyli khayli dige alan hanuz hanooz nist nis hast hastam yadam daram nadaram dare nadare bayad
begiram migiram nemigiram mide nemide midan nemidan bedin bedid mikonam mikone nemikone konam konid
kone lotfan mersi salam mamnoon mamnun ramz hesab hesabam bardasht bardast variz vaariz sharzh sharj
mojudi mojoodi poshtibani javab tayid taeed ehraz hoviat hoviyat madarek shomare pool pul poolam
pulam poolamo chand cheghadr vaghti aslan dorost eshtebah eshtebahi faramoosh faramush ghofl masdood
masdud shart jayeze raygan rayegan gardesh laghv takhfif payamak tasvie tasviye entezar peygiri
karmozd natije bazi ye yek vali ama agar ke ro ba az hamin hamoon khodam khob khoob khube bashe
mirese nareside naresid reside rasid mikeshe ghat
""")
_FINGLISH_ENDINGS = ("am", "esh", "emun", "eshun", "etun", "amo", "esho", "ide", "ode", "ade")
_FINGLISH_PREFIX_RE = re.compile(r"^(?:nemi|mi|na|be)(?:kh|sh|t|g|d|r|k|z|f|res|bin|pors)")
# Letter pairs English rarely has: kh, zh, gh not in -ght/-igh/-ough, a doubled a, chat digits.
_FINGLISH_LETTERS_RE = re.compile(r"kh|zh|^gh|[^uio]gh(?!t)|aa|'|[37]")
# Spellings Finglish rarely uses: c (not in ch), w, x, q, th, ea, -ing, -tion, -ly.
_ENGLISH_LETTERS_RE = re.compile(r"c(?!h)|[wxq]|th|ea|ing$|tion|ly$")


def _is_known(word: str) -> bool:
    """A lexicon word, one of its forms, or a lexicon word with letters left out (vriz, bardast)."""
    key = _key(word)
    if key in _EXACT:
        return True
    loose = _loose(key)
    return len(loose) >= 3 and any(_is_subsequence(key, k) for k, _, _ in _SKELETON.get(loose, ()))


def knows(word: str) -> bool:
    """Whether the lexicon knows a Latin `word` as Finglish: one of its words or their forms (hesabam), or
    one with letters left out (vriz)."""
    w = word.lower()
    return w not in _ENGLISH and w not in _SHARED and (w in _FINGLISH_WORDS or _is_known(w))


def _finglish_score(text: str, english: Container[str] = ()) -> float:
    """The sum of the cues of every word; positive means Finglish (see `looks_finglish`)."""
    score = 0.0
    words = re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
    joined: list[str] = []
    for w in words:  # a word split by a stray space counts once, whole (var iz)
        if joined and joins(joined[-1], w) and joined[-1] not in _ENGLISH and w not in _ENGLISH:
            joined[-1] += w
        else:
            joined.append(w)
    for w in joined:
        if w in _ENGLISH:
            score -= 1.5
        elif w in _SHARED or w.isdigit():
            continue
        elif w in _FINGLISH_WORDS:
            score += 2.0
        elif w in english and _key(w) not in _EXACT:  # a dictionary word Finglish does not write (self)
            score -= 1.5
        elif _is_known(w):
            score += 1.0  # a known word or one of its forms (hesabam, bonusam, nemigiram, vriz)
        else:
            if _FINGLISH_PREFIX_RE.match(w) and len(w) >= 5:
                score += 1.0
            if w.endswith(_FINGLISH_ENDINGS) and len(w) >= 4:
                score += 0.5
            if _FINGLISH_LETTERS_RE.search(w):
                score += 0.75
            if _ENGLISH_LETTERS_RE.search(w):
                score -= 0.5
    return score


def looks_finglish(text: str, english: Container[str] = ()) -> bool:
    """Whether a Latin-script `text` is more likely Persian typed in Latin letters than English.

    Each word adds its cue: +2 for an unmistakably Persian word (kardam, nemishe, chejori), +1 for
    another word of the lexicon or one of its forms (hesabam), up to +2.25 for a verb prefix (mi-,
    nemi-, be-, na-), a Persian ending (-am, -esh, -emun) or letters English rarely has (kh, zh, gh,
    aa, chat digits), -0.5 for spellings Finglish rarely uses (c, w, x, q, th, -ing, -tion) and -1.5
    for a common English word, or for a word of `english` (a dictionary's English words:
    `SuggestVocab.english`) that the lexicon does not write as Finglish: "self" would otherwise pass
    for selfi with a letter left out, and "self exclude" for Persian. Words both languages use (bonus,
    code, login) count nothing. The text is Finglish when the total is positive and one of its words is
    one the lexicon knows (`knows`): letters alone are no evidence, since an English word mistyped has
    them too (manaager: aa; betbolcker: be-).
    >>> looks_finglish("bardasht nemishe"), looks_finglish("my withdrawal is pending")
    (True, False)
    """
    return _finglish_score(text, english) > 0 and any(knows(w) for w in re.findall(r"[a-z0-9']+", text.lower()))
