#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pochta-mail-generator.py: writes a deterministic mailbox of realistic mail
# (Maildir, one .eml per message, or mboxrd) for Pochta's tests and benchmarks.
#
# The same --seed and arguments give byte-identical output.  Only the standard
# library is used, and messages are assembled as bytes from templates and
# pools that are built once per run (email.message objects would be far too
# slow for 100,000 messages).  Every random choice goes through
# random.Random.random(), whose sequence is the same in every Python 3.

import argparse
import binascii
import calendar
import datetime
import html
import os
import random
import re
import sys
import time
import zlib

# --------------------------------------------------------------------------
# Content: sentences, subjects and names per language.  Kept short; variety
# comes from combining them.

LANGS = {
    'en': {
        'sentences': [
            "Thanks for the quick turnaround on this.",
            "I've attached the updated plan for next week.",
            "Could you please double-check the numbers in the spreadsheet before Friday?",
            "The meeting has been moved to Thursday at 10 am.",
            "From what I can tell, the deployment went fine and nobody noticed the switch.",
            "Let me know if you have any questions or concerns.",
            "We finished testing the new release and found only three minor bugs.",
            "The invoice for September has already gone to accounting.",
            "Just a reminder that the report is due at the end of the month.",
            "The server will be down for maintenance on Saturday between 2 and 4 am.",
            "I\u2019ve reviewed your draft and left a few comments in the margins.",
            "Let\u2019s discuss this at the next stand-up \u2013 it shouldn\u2019t take long.",
            "The \u201cQ4 roadmap\u201d document is in the shared folder\u2026",
            "Please send the signed contract back by courier.",
            "Our new office address is 42 Example Road, Springfield.",
            "I'm out of office next week with limited access to email.",
            "The build is green again after the last fix.",
            "Can we push the deadline by two days?",
            "See the ticket for the full stack trace.",
            "Happy to jump on a call if that's easier.",
        ],
        'subjects': [
            "Quarterly report", "Meeting notes from Tuesday", "Invoice #{n}",
            "Server maintenance this weekend", "Draft for review", "Lunch on Friday?",
            "Updated project plan", "Question about the API", "Release {v} is out",
            "Your order has shipped", "Team offsite \u2013 logistics",
            "Re-scheduling our 1:1", "Budget approval needed", "Welcome aboard!",
            "Build failures on main", "Contract renewal", "Holiday schedule",
            "A very long subject line that keeps going on and on to make sure that "
            "header folding is exercised by clients and servers alike",
        ],
        'first': [("James", "james"), ("Mary", "mary"), ("Robert", "robert"),
                  ("Patricia", "patricia"), ("John", "john"), ("Jennifer", "jennifer"),
                  ("Michael", "michael"), ("Linda", "linda"), ("David", "david"),
                  ("Susan", "susan"), ("O'Brien", "obrien")],
        'last': [("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"),
                 ("Brown", "brown"), ("Jones", "jones"), ("Garcia", "garcia"),
                 ("Miller", "miller"), ("Davis", "davis"), ("Wilson", "wilson")],
        'greet': ["Hi,", "Hello,", "Hi all,", "Dear colleagues,", "Hey,"],
        'greet_name': ["Hi {name},", "Hello {name},", "Dear {name},"],
        'close': ["Best regards,", "Thanks,", "Cheers,", "Kind regards,"],
        'wrote': "On {date}, {name} wrote:",
        'charsets': [(0.40, 'us-ascii', '7bit'), (0.25, 'utf-8', 'quoted-printable'),
                     (0.15, 'utf-8', '8bit'), (0.15, 'windows-1252', 'quoted-printable'),
                     (0.05, 'utf-8', 'base64')],
        'tz': [-300, -240, -420, 0, 60],
        'cjk': False,
        'attach': ["report-{n}.pdf", "invoice #{n}.pdf", "IMG_{n}.JPG", "slides.pptx",
                   "data export {n}.csv", "notes.txt", "contract_v{v}.docx"],
    },
    'de': {
        'sentences': [
            "Anbei schicke ich Ihnen die überarbeitete Planung für nächste Woche.",
            "Bitte prüfen Sie die Zahlen in der Tabelle bis Freitag.",
            "Die Besprechung wird auf Donnerstag um zehn Uhr verschoben.",
            "Für Rückfragen stehe ich Ihnen gerne zur Verfügung.",
            "Die Rechnung über 1.250,00 \u20ac ist bereits an die Buchhaltung gegangen.",
            "Der Server ist am Samstag zwischen zwei und vier Uhr nicht erreichbar.",
            "Wir haben die Tests der neuen Version abgeschlossen \u2013 es gab nur drei Fehler.",
            "Vielen Dank für Ihre Geduld und die schnelle Rückmeldung.",
            "Könnten Sie mir bitte die Unterlagen bis Ende des Monats zusenden?",
            "Die Größe der Datei überschreitet leider das zulässige Maß.",
            "Grüße aus Köln und ein schönes Wochenende!",
            "\u201eQualität\u201c steht bei uns an erster Stelle.",
            "Das Angebot gilt bis zum 31. Dezember.",
            "Ich bin ab Montag wieder im Büro.",
        ],
        'subjects': [
            "Besprechung am Donnerstag", "Rechnung Nr. {n}", "Änderungen am Vertrag",
            "Urlaubsplanung für Dezember", "Grüße aus München", "Übergabe der Unterlagen",
            "Wartungsarbeiten am Wochenende", "Frage zur Schnittstelle",
            "Größere Verzögerung bei der Lieferung", "Einladung zur Weihnachtsfeier",
            "Protokoll der Sitzung vom Dienstag",
        ],
        'first': [("Jürgen", "juergen"), ("Günther", "guenther"), ("Käthe", "kaethe"),
                  ("Anna", "anna"), ("Lukas", "lukas"), ("Sören", "soeren"),
                  ("Birgit", "birgit"), ("Matthias", "matthias")],
        'last': [("Müller", "mueller"), ("Schröder", "schroeder"), ("Weiß", "weiss"),
                 ("Bäcker", "baecker"), ("Schmidt", "schmidt"), ("Köhler", "koehler"),
                 ("Fischer", "fischer")],
        'greet': ["Hallo zusammen,", "Guten Tag,", "Sehr geehrte Damen und Herren,"],
        'greet_name': ["Hallo {name},", "Liebe/r {name},", "Guten Tag {name},"],
        'close': ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße"],
        'wrote': "Am {date} schrieb {name}:",
        'charsets': [(0.40, 'utf-8', 'quoted-printable'), (0.30, 'windows-1252', 'quoted-printable'),
                     (0.20, 'utf-8', '8bit'), (0.10, 'windows-1252', '8bit')],
        'tz': [60, 120],
        'cjk': False,
        'attach': ["Präsentation Q{q}.pptx", "Rechnung_{n}.pdf", "Übersicht {n}.xlsx",
                   "Vertrag.pdf", "Foto Köln.jpg"],
    },
    'ru': {
        'sentences': [
            "Высылаю обновлённый план работ на следующую неделю.",
            "Пожалуйста, проверьте цифры в таблице до пятницы.",
            "Встреча переносится на четверг, на десять утра.",
            "Если будут вопросы, пишите или звоните в любое время.",
            "Мы закончили тестирование новой версии, найдено всего три ошибки.",
            "Счёт за сентябрь уже отправлен в бухгалтерию.",
            "Напоминаю, что отчёт нужно сдать до конца месяца.",
            "Сервер будет недоступен в субботу с двух до четырёх часов ночи.",
            "Спасибо всем за участие в конференции \u00abПочта-2025\u00bb.",
            "Я посмотрел ваш черновик и оставил несколько замечаний.",
            "Давайте обсудим это на следующей планёрке \u2014 это недолго.",
            "Документы подписаны, оригиналы отправлю курьером.",
            "Ёжик в тумане шёл по тропинке к своему другу.",
            "Съешь же ещё этих мягких французских булок да выпей чаю.",
        ],
        'subjects': [
            "Отчёт за квартал", "Встреча в четверг", "Счёт № {n}", "Обновлённый план работ",
            "Вопрос по договору", "Плановые работы на сервере", "Приглашение на конференцию",
            "Протокол совещания", "Ёлка в офисе", "Отпуск в декабре",
        ],
        'first': [("Алексей", "aleksey"), ("Мария", "maria"), ("Дмитрий", "dmitry"),
                  ("Елена", "elena"), ("Сергей", "sergey"), ("Ольга", "olga"),
                  ("Фёдор", "fedor"), ("Наталья", "natalia")],
        'last': [("Иванов", "ivanov"), ("Смирнова", "smirnova"), ("Кузнецов", "kuznetsov"),
                 ("Попова", "popova"), ("Соколов", "sokolov"), ("Лебедева", "lebedeva"),
                 ("Щукин", "shchukin")],
        'greet': ["Добрый день!", "Здравствуйте!", "Коллеги, добрый день."],
        'greet_name': ["{name}, добрый день!", "Здравствуйте, {name}!"],
        'close': ["С уважением,", "Спасибо,", "Всего доброго,"],
        'wrote': "{date}, {name} пишет:",
        'charsets': [(0.35, 'utf-8', '8bit'), (0.25, 'utf-8', 'base64'),
                     (0.30, 'koi8-r', '8bit'), (0.10, 'koi8-r', 'quoted-printable')],
        'tz': [180, 180, 300, 420],
        'cjk': False,
        'attach': ["Отчёт за сентябрь.pdf", "Договор №{n}.docx", "План работ.xlsx",
                   "фото.jpg"],
    },
    'ja': {
        'sentences': [
            "いつもお世話になっております。",
            "来週の会議の資料をお送りします。",
            "ご確認のほど、よろしくお願いいたします。",
            "納品日は十一月十五日を予定しております。",
            "見積書を添付いたしましたので、ご査収ください。",
            "サーバーのメンテナンスは土曜日の深夜に行います。",
            "新しいバージョンのテストが完了しました。",
            "ご不明な点がございましたら、お気軽にお問い合わせください。",
            "先日の打ち合わせでは大変お世話になりました。",
            "東京本社の会議室を予約しました。",
            "今月の売上報告書を共有いたします。",
            "来月から新しいプロジェクトが始まります。",
        ],
        'subjects': [
            "会議資料の送付", "お見積りのご依頼", "納品日のご連絡", "サーバーメンテナンスのお知らせ",
            "打ち合わせのお礼", "新プロジェクトについて", "売上報告書（{n}月分）",
            "請求書の送付について",
        ],
        'first': [("太郎", "taro"), ("花子", "hanako"), ("健一", "kenichi"), ("美咲", "misaki"),
                  ("翔太", "shota"), ("由美", "yumi")],
        'last': [("山田", "yamada"), ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"),
                 ("田中", "tanaka"), ("渡辺", "watanabe")],
        'greet': ["皆様", "各位"],
        'greet_name': ["{name}様"],
        'close': ["よろしくお願いいたします。", "以上、よろしくお願いします。"],
        'wrote': "{date} {name} さんは書きました:",
        'charsets': [(0.55, 'iso-2022-jp', '7bit'), (0.45, 'utf-8', 'base64')],
        'tz': [540],
        'cjk': True,
        'attach': ["見積書.pdf", "会議資料_{n}.pptx", "報告書.xlsx"],
        'name_order': 'family',
    },
    'zh': {
        'sentences': [
            "附件是下周会议的议程。",
            "请在周五之前确认表格中的数字。",
            "服务器将于周六晚上进行维护。",
            "新版本的测试已经完成，只发现了三个问题。",
            "感谢大家参加本次会议。",
            "发票已经寄给财务部门了。",
            "如果有任何问题，请随时与我联系。",
            "我们计划在十一月中旬发布新产品。",
            "请查收本月的销售报告。",
            "北京办公室的会议室已经预订好了。",
        ],
        'subjects': [
            "下周会议议程", "发票 {n} 号", "服务器维护通知", "新产品发布计划",
            "本月销售报告", "关于合同的问题", "欢迎新同事",
        ],
        'first': [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("强", "qiang"), ("静", "jing")],
        'last': [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen")],
        'greet': ["大家好：", "您好："],
        'greet_name': ["{name}，你好：", "{name}，您好："],
        'close': ["祝好，", "谢谢！", "此致"],
        'wrote': "{name} 于 {date} 写道：",
        'charsets': [(0.60, 'utf-8', 'base64'), (0.40, 'utf-8', '8bit')],
        'tz': [480],
        'cjk': True,
        'attach': ["会议议程.docx", "销售报告_{n}.xlsx", "照片.jpg"],
        'name_order': 'family',
    },
    'el': {
        'sentences': [
            "Σας στέλνω το ενημερωμένο πρόγραμμα για την επόμενη εβδομάδα.",
            "Παρακαλώ ελέγξτε τους αριθμούς στον πίνακα μέχρι την Παρασκευή.",
            "Η συνάντηση μεταφέρεται για την Πέμπτη στις δέκα το πρωί.",
            "Ευχαριστώ πολύ για τη βοήθειά σας.",
            "Το τιμολόγιο έχει ήδη σταλεί στο λογιστήριο.",
            "Ο διακομιστής δεν θα είναι διαθέσιμος το Σάββατο το βράδυ.",
            "Ολοκληρώσαμε τις δοκιμές της νέας έκδοσης.",
            "Αν έχετε ερωτήσεις, μη διστάσετε να επικοινωνήσετε μαζί μας.",
            "Θα τα πούμε στη σύσκεψη της Δευτέρας.",
            "Επισυνάπτω τα έγγραφα που ζητήσατε.",
        ],
        'subjects': [
            "Πρόγραμμα εβδομάδας", "Τιμολόγιο αρ. {n}", "Συνάντηση την Πέμπτη",
            "Συντήρηση διακομιστή", "Ερώτηση για τη σύμβαση", "Καλές γιορτές!",
        ],
        'first': [("Γιώργος", "giorgos"), ("Μαρία", "maria"), ("Νίκος", "nikos"),
                  ("Ελένη", "eleni"), ("Δημήτρης", "dimitris")],
        'last': [("Παπαδόπουλος", "papadopoulos"), ("Γεωργίου", "georgiou"),
                 ("Νικολάου", "nikolaou"), ("Οικονόμου", "oikonomou")],
        'greet': ["Καλημέρα σας,", "Γεια σας,"],
        'greet_name': ["Γεια σου {name},", "Αγαπητέ/ή {name},"],
        'close': ["Με εκτίμηση,", "Ευχαριστώ,", "Φιλικά,"],
        'wrote': "Στις {date}, ο/η {name} έγραψε:",
        'charsets': [(0.50, 'utf-8', 'quoted-printable'), (0.30, 'utf-8', 'base64'),
                     (0.20, 'utf-8', '8bit')],
        'tz': [120, 180],
        'cjk': False,
        'attach': ["Τιμολόγιο_{n}.pdf", "έγγραφα.zip"],
    },
}
LANG_WEIGHTS = [(0.45, 'en'), (0.15, 'de'), (0.15, 'ru'), (0.09, 'ja'), (0.09, 'zh'), (0.07, 'el')]
LANG_ORDER = ['en', 'de', 'ru', 'ja', 'zh', 'el']

EMOJI = ["\U0001F389", "\U0001F4CA", "\U0001F680", "\u2705", "\U0001F642", "\U0001F4CE",
         "\U0001F355", "\u2615", "\U0001F525", "\U0001F44D"]

MAILERS = [
    "User-Agent: Mozilla Thunderbird",
    "X-Mailer: Microsoft Outlook 16.0",
    "X-Mailer: Apple Mail (2.3774.500.171.1.1)",
    "User-Agent: Evolution 3.46.4-2",
    "User-Agent: Geary/43.0",
    "User-Agent: Roundcube Webmail/1.6.5",
    "User-Agent: K-9 Mail for Android",
    "User-Agent: Mutt/2.2.9 (2022-11-12)",
    "X-Mailer: Becky! ver. 2.81.04 [ja]",
]

# Translation of punctuation a narrower charset lacks (applied before encoding).
NARROW = {
    'us-ascii': str.maketrans({'\u2019': "'", '\u2018': "'", '\u201c': '"', '\u201d': '"',
                               '\u201e': '"', '\u2026': '...', '\u2013': '-', '\u2014': '-',
                               '\u20ac': 'EUR', '\u00ab': '"', '\u00bb': '"'}),
    'koi8-r': str.maketrans({'\u00ab': '"', '\u00bb': '"', '\u2014': '-', '\u2013': '-',
                             '\u2026': '...', '\u2019': "'", '\u201c': '"', '\u201d': '"',
                             '\u201e': '"', '\u20ac': 'EUR'}),
    'iso-2022-jp': str.maketrans({'\u2013': '-', '\u2014': '-', '\u2026': '...'}),
}
CODEC = {'us-ascii': 'ascii', 'utf-8': 'utf-8', 'koi8-r': 'koi8_r',
         'iso-2022-jp': 'iso2022_jp', 'windows-1252': 'cp1252'}

OUTLOOK_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
    'office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.'
    'com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta http-'
    'equiv="Content-Type" content="text/html; charset=__CS__">\n<meta name="Generator" '
    'content="Microsoft Word 15 (filtered medium)">\n<style><!--\n/* Font Definitions */\n'
    '@font-face\n\t{font-family:"Cambria Math";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n'
    '@font-face\n\t{font-family:Calibri;\n\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n'
    '@font-face\n\t{font-family:Aptos;}\n/* Style Definitions */\n'
    'p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n'
    '\tfont-family:"Calibri",sans-serif;\n\tmso-ligatures:standardcontextual;\n'
    '\tmso-fareast-language:EN-US;}\n'
    'a:link, span.MsoHyperlink\n\t{mso-style-priority:99;\n\tcolor:#0563C1;\n'
    '\ttext-decoration:underline;}\n'
    'a:visited, span.MsoHyperlinkFollowed\n\t{mso-style-priority:99;\n\tcolor:#954F72;\n'
    '\ttext-decoration:underline;}\n'
    'span.EmailStyle17\n\t{mso-style-type:personal-compose;\n\tfont-family:"Calibri",'
    'sans-serif;\n\tcolor:windowtext;}\n'
    '.MsoChpDefault\n\t{mso-style-type:export-only;\n\tfont-size:10.0pt;\n'
    '\tmso-ligatures:none;}\n'
    '@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\n'
    'div.WordSection1\n\t{page:WordSection1;}\n--></style><!--[if gte mso 9]><xml>\n'
    '<o:shapedefaults v:ext="edit" spidmax="1026" />\n</xml><![endif]--><!--[if gte mso 9]>'
    '<xml>\n<o:shapelayout v:ext="edit">\n<o:idmap v:ext="edit" data="1" />\n'
    '</o:shapelayout></xml><![endif]-->\n</head>\n<body lang="EN-US" link="#0563C1" '
    'vlink="#954F72" style="word-wrap:break-word">\n<div class="WordSection1">\n')

DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')

KIB = 1024


def narrow(text, charset):
    table = NARROW.get(charset)
    return text.translate(table) if table else text


def encode_text(text, charset):
    return narrow(text, charset).encode(CODEC[charset])


def can_encode(text, charset):
    try:
        encode_text(text, charset)
        return True
    except UnicodeEncodeError:
        return False


def b64_lines(data):
    enc = binascii.b2a_base64(data, newline=False)
    return b'\n'.join([enc[i:i + 76] for i in range(0, len(enc), 76)]) + b'\n'


def apply_cte(raw, cte):
    if cte == 'base64':
        return b64_lines(raw)
    if cte == 'quoted-printable':
        out = binascii.b2a_qp(raw)
        return out if out.endswith(b'\n') else out + b'=\n'
    return raw if raw.endswith(b'\n') else raw + b'\n'


def fmt_date(ts, tz_min):
    t = time.gmtime(ts + tz_min * 60)
    sign = '+' if tz_min >= 0 else '-'
    a = abs(tz_min)
    return (f"{DAYS[t.tm_wday]}, {t.tm_mday:02d} {MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{a // 60:02d}{a % 60:02d}")


def fmt_asctime(ts):
    t = time.gmtime(ts)
    return (f"{DAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {t.tm_year}")


# --------------------------------------------------------------------------
# RFC 2047 encoded words and header folding.

_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_ew_cache = {}


def _q(raw):
    out = []
    for c in raw:
        if c == 0x20:
            out.append('_')
        elif c in _Q_SAFE:
            out.append(chr(c))
        else:
            out.append(f"={c:02X}")
    return ''.join(out)


def encoded_words(text, charset, mode):
    """Returns a list of encoded words, each at most 75 characters (RFC 2047 section 2)."""
    key = (text, charset, mode)
    hit = _ew_cache.get(key)
    if hit is not None:
        return hit
    overhead = len(charset) + 7
    words = []
    chunk = ''
    for ch in text:
        cand = chunk + ch
        raw = encode_text(cand, charset)
        size = (len(raw) + 2) // 3 * 4 if mode == 'B' else len(_q(raw))
        if size + overhead > 75 and chunk:
            words.append(chunk)
            chunk = ch
        else:
            chunk = cand
    if chunk:
        words.append(chunk)
    out = []
    for w in words:
        raw = encode_text(w, charset)
        if mode == 'B':
            payload = binascii.b2a_base64(raw, newline=False).decode('ascii')
        else:
            payload = _q(raw)
        out.append(f"=?{charset}?{mode}?{payload}?=")
    _ew_cache[key] = out
    return out


def header_tokens(text, charset):
    """Tokens for an unstructured header: plain words if ASCII, else encoded words."""
    if text.isascii():
        return text.split(' ')
    if not can_encode(text, charset):
        charset = 'utf-8'
    mode = 'Q' if charset in ('windows-1252',) else 'B'
    return encoded_words(text, charset, mode)


def fold(name, tokens):
    """Joins tokens into 'Name: ...', folding before 78 columns where possible."""
    lines = []
    cur = name + ':'
    first = True
    for tok in tokens:
        if not first and len(cur) + 1 + len(tok) > 76:
            lines.append(cur)
            cur = ' ' + tok
        else:
            cur += ' ' + tok
        first = False
    lines.append(cur)
    return '\n'.join(lines) + '\n'


_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def phrase(name, charset):
    if name.isascii():
        if _SPECIALS.search(name):
            return '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
        return name
    if not can_encode(name, charset):
        charset = 'utf-8'
    mode = 'Q' if charset == 'windows-1252' else 'B'
    return ' '.join(encoded_words(name, charset, mode))


def address_header(name, people, charset):
    toks = []
    for n, a in people:
        if n:
            ph = phrase(n, charset)
            toks.extend(ph.split(' ') if ph.startswith('=?') else [ph])
            toks.append(f"<{a}>,")
        else:
            toks.append(f"{a},")
    toks[-1] = toks[-1][:-1]
    return fold(name, toks)


# --------------------------------------------------------------------------
# Binary blobs: images and attachments, generated lazily from their own seeds
# so that which ones get used does not change how others look.

def png_bytes(rr, target):
    side = max(4, int((target / 3) ** 0.5))
    w, h = side, max(4, target // (side * 3))
    noise_len = w * h * 3
    # A smooth half and a noisy half: compresses like a real photo-ish logo.
    noise = rr.getrandbits(noise_len * 4).to_bytes(noise_len // 2 + 1, 'little')[:noise_len // 2]
    smooth = bytes((i * 7 // w) & 0xFF for i in range(noise_len - len(noise)))
    pix = smooth + noise
    stride = w * 3
    rows = b''.join(b'\x00' + pix[y * stride:(y + 1) * stride] for y in range(h))

    def chunk(tag, data):
        c = tag + data
        return len(data).to_bytes(4, 'big') + c + (zlib.crc32(c) & 0xFFFFFFFF).to_bytes(4, 'big')

    ihdr = w.to_bytes(4, 'big') + h.to_bytes(4, 'big') + b'\x08\x02\x00\x00\x00'
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
            chunk(b'IDAT', zlib.compress(rows, 6)) + chunk(b'IEND', b''))


def random_bytes(rr, n):
    return rr.getrandbits(n * 8).to_bytes(n, 'little') if n else b''


def fake_pdf(rr, n):
    head = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Filter /FlateDecode /Length @LEN@ >>\nstream\n")
    body = random_bytes(rr, max(0, n - 400))
    return head.replace(b'@LEN@', str(len(body)).encode()) + body + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def fake_jpeg(rr, n):
    return (b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00' +
            random_bytes(rr, max(0, n - 22)) + b'\xff\xd9')


def fake_zip(rr, n):
    return b'PK\x03\x04\x14\x00\x06\x00\x08\x00' + random_bytes(rr, max(0, n - 10))


def csv_text(rr, n):
    rows = ["date,account,amount,currency,comment"]
    size = len(rows[0])
    i = 0
    while size < n:
        row = (f"2025-{1 + int(rr.random() * 12):02d}-{1 + int(rr.random() * 28):02d},"
               f"ACC-{int(rr.random() * 100000):05d},{rr.random() * 10000:.2f},EUR,"
               f"row {i} Zahlung für Bestellung")
        rows.append(row)
        size += len(row.encode('utf-8')) + 1
        i += 1
    return ('\n'.join(rows) + '\n').encode('utf-8')


def log_text(rr, n):
    lines = []
    size = 0
    levels = ['INFO', 'DEBUG', 'WARN', 'ERROR']
    while size < n:
        line = (f"2025-10-{1 + int(rr.random() * 28):02d}T{int(rr.random() * 24):02d}:"
                f"{int(rr.random() * 60):02d}:{int(rr.random() * 60):02d}Z "
                f"{levels[int(rr.random() * 4)]} worker[{int(rr.random() * 999)}]: "
                f"processed batch {int(rr.random() * 1e6)} in {rr.random() * 900:.1f} ms")
        lines.append(line)
        size += len(line) + 1
    return ('\n'.join(lines) + '\n').encode('ascii')


EXT_TYPES = {
    'pdf': ('application/pdf', fake_pdf, 'base64'),
    'jpg': ('image/jpeg', fake_jpeg, 'base64'),
    'JPG': ('image/jpeg', fake_jpeg, 'base64'),
    'pptx': ('application/vnd.openxmlformats-officedocument.presentationml.presentation',
             fake_zip, 'base64'),
    'docx': ('application/vnd.openxmlformats-officedocument.wordprocessingml.document',
             fake_zip, 'base64'),
    'xlsx': ('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fake_zip, 'base64'),
    'zip': ('application/zip', fake_zip, 'base64'),
    'csv': ('text/csv; charset=utf-8', csv_text, 'quoted-printable'),
    'txt': ('text/plain; charset=us-ascii', log_text, '7bit'),
}


def rfc2231(value):
    out = []
    for c in value.encode('utf-8'):
        if (0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or c in b'-._~'):
            out.append(chr(c))
        else:
            out.append(f"%{c:02X}")
    return "utf-8''" + ''.join(out)


def filename_params(rr, name, style_u):
    """Content-Type name= and Content-Disposition filename= as different mailers write them."""
    if name.isascii():
        q = '"' + name + '"'
        return f'; name={q}', f'; filename={q}'
    if style_u < 0.5:
        # RFC 2231, as Thunderbird and Evolution write it.
        enc = rfc2231(name)
        if len(enc) > 60:
            # Continuations (RFC 2231 section 3), split only between whole %XX escapes.
            units = re.findall(r"%[0-9A-F]{2}|[^%]", enc[len("utf-8''"):])
            segs = ["utf-8''"]
            for u in units:
                if len(segs[-1]) + len(u) > 60:
                    segs.append('')
                segs[-1] += u
            disp = ''.join(f';\n filename*{i}*={p}' for i, p in enumerate(segs))
        else:
            disp = f';\n filename*={enc}'
        return f';\n name="{" ".join(encoded_words(name, "utf-8", "B"))}"', disp
    # RFC 2047 inside quotes: wrong by the letter, but what Outlook and
    # Gmail send, and what every reader decodes.
    ew = ' '.join(encoded_words(name, 'utf-8', 'B'))
    return f';\n name="{ew}"', f';\n filename="{ew}"'


class Pools:
    def __init__(self, seed, profile):
        self.seed = seed
        self.profile = profile
        self.small = profile == 'small'
        rr = random.Random(f"pochta:{seed}:bodies")
        self.bodies = {}
        for lang in LANG_ORDER:
            data = LANGS[lang]
            sents = data['sentences']
            items = []
            for _ in range(48):
                u = rr.random()
                n_par = 1 + int(rr.random() * (3 if u < 0.5 else 9))
                paras = []
                for _ in range(n_par):
                    # k distinct sentences (a partial Fisher-Yates shuffle).
                    k = 1 + int(rr.random() * 5)
                    order = list(range(len(sents)))
                    for j in range(k):
                        x = j + int(rr.random() * (len(order) - j))
                        order[j], order[x] = order[x], order[j]
                    paras.append(('' if data['cjk'] else ' ').join(sents[x] for x in order[:k]))
                items.append((paras, '\n\n'.join(wrap(p, data['cjk']) for p in paras)))
            self.bodies[lang] = items
        self._images = {}
        self._attach = {}
        self._news = {}

    def image(self, idx):
        hit = self._images.get(idx)
        if hit is None:
            rr = random.Random(f"pochta:{self.seed}:image:{idx}")
            top = 30 if self.small else 60
            target = int((2 + rr.random() * top) * KIB) if idx % 4 else int(1.5 * KIB)
            data = png_bytes(rr, target)
            hit = (f"image{idx:03d}.png", b64_lines(data))
            self._images[idx] = hit
        return hit

    def attachment(self, idx):
        hit = self._attach.get(idx)
        if hit is None:
            rr = random.Random(f"pochta:{self.seed}:attach:{idx}")
            u = rr.random()
            if self.small:
                size = int((10 + rr.random() * 40) * KIB)
            elif u < 0.70:
                size = int((10 + rr.random() * 90) * KIB)
            elif u < 0.95:
                size = int((100 + rr.random() * 900) * KIB)
            else:
                size = int((1024 + rr.random() * 2560) * KIB)
            lang = LANG_ORDER[int(rr.random() * len(LANG_ORDER))]
            names = LANGS[lang]['attach']
            name = names[int(rr.random() * len(names))].format(
                n=1000 + int(rr.random() * 9000), v=1 + int(rr.random() * 9),
                q=1 + int(rr.random() * 4))
            ext = name.rsplit('.', 1)[1]
            ctype, maker, cte = EXT_TYPES[ext]
            data = maker(rr, size)
            # Text attachments get their size from content; cap them too.
            cap = 50 * KIB if self.small else None
            if cap and len(data) > cap:
                data = data[:cap]
                if ext in ('csv', 'txt'):
                    data = data[:data.rfind(b'\n') + 1]
            ctype_param, disp_param = filename_params(rr, name, rr.random())
            head = (f"Content-Type: {ctype}{ctype_param}\n"
                    f"Content-Disposition: attachment{disp_param}\n"
                    f"Content-Transfer-Encoding: {cte}\n\n").encode('ascii')
            hit = head + apply_cte(data, cte)
            self._attach[idx] = hit
        return hit

    def newsletter(self, idx):
        hit = self._news.get(idx)
        if hit is None:
            rr = random.Random(f"pochta:{self.seed}:news:{idx}")
            rows = 6 + int(rr.random() * (14 if self.small else 30))
            sents = LANGS['en']['sentences']
            parts = ['<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
                     'content="text/html; charset=utf-8"><title>Newsletter</title>\n'
                     '<style type="text/css">body{margin:0;padding:0;background:#f4f4f4}'
                     'td{font-family:Helvetica,Arial,sans-serif}.btn{background:#3584e4;'
                     'color:#ffffff;border-radius:4px;padding:8px 16px}</style></head>\n'
                     '<body><table role="presentation" width="100%" cellpadding="0" '
                     'cellspacing="0" border="0" style="background:#f4f4f4"><tr><td align="center">'
                     '<table width="600" cellpadding="0" cellspacing="0" border="0" '
                     'style="background:#ffffff;margin:16px auto">\n']
            for r in range(rows):
                text = html.escape(' '.join(sents[int(rr.random() * len(sents))]
                                            for _ in range(2 + int(rr.random() * 4))))
                parts.append(
                    f'<tr><td style="padding:24px 32px 8px 32px;font-size:20px;font-weight:bold;'
                    f'color:#241f31;line-height:28px">Story {r + 1}: {html.escape(sents[r % len(sents)][:40])}'
                    f'</td></tr>\n<tr><td style="padding:0 32px 16px 32px;font-size:15px;'
                    f'color:#3d3846;line-height:22px">{text}</td></tr>\n'
                    f'<tr><td style="padding:0 32px 24px 32px"><a class="btn" '
                    f'href="https://news.example.com/c/{rr.getrandbits(64):016x}/{r}?utm_source='
                    f'newsletter&amp;utm_medium=email&amp;utm_campaign=weekly" style="background:'
                    f'#3584e4;color:#ffffff;text-decoration:none;border-radius:4px;padding:8px 16px;'
                    f'display:inline-block">Read more</a></td></tr>\n')
            parts.append('<tr><td style="padding:16px 32px;font-size:12px;color:#77767b">You '
                         'receive this because you subscribed at news.example.com. '
                         '<a href="https://news.example.com/unsubscribe">Unsubscribe</a></td></tr>\n'
                         '</table></td></tr></table>\n')
            hit = ''.join(parts)
            self._news[idx] = hit
        return hit


def wrap(text, cjk, width=72):
    if cjk:
        n = 36
        return '\n'.join(text[i:i + n] for i in range(0, len(text), n))
    lines = []
    cur = ''
    for w in text.split(' '):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = cur + ' ' + w if cur else w
    if cur:
        lines.append(cur)
    return '\n'.join(lines)


# --------------------------------------------------------------------------
# Messages.

class Thread:
    __slots__ = ('lang', 'subject', 'people', 'msgids', 'mlist', 'left', 'last_text',
                 'last_name', 'last_date', 'last_sender')


class Generator:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed
        self.rng = random.Random(f"pochta:{args.seed}:main")
        self.r = self.rng.random
        self.pools = Pools(args.seed, args.profile)
        d = args.domain
        self.domain = d
        self.owner = args.to or f"user@{d}"
        self.sender_domains = [d, f"corp.{d}", f"mail.{d}", "example.com", "example.org",
                               "example.net"]
        self.lists = [
            # (list id, address, description, language, newsletter?)
            (f"dev.lists.{d}", f"dev@lists.{d}", "Pochta developers", 'en', False),
            (f"users-ru.lists.{d}", f"users-ru@lists.{d}", "Пользователи Почты", 'ru', False),
            (f"announce.lists.{d}", f"announce@lists.{d}", "Announcements", 'en', False),
            ("weekly.news.example.com", "weekly@news.example.com", "Example Weekly", 'en', True),
        ]
        self.threads = []
        start = calendar.timegm(args.start_date.timetuple())
        end = calendar.timegm(args.end_date.timetuple())
        if end <= start:
            sys.exit("pochta-mail-generator: --end-date must be after --start-date")
        self.start, self.span = start, end - start
        self.used_ids = 0

    def rint(self, lo, hi):
        return lo + int(self.r() * (hi - lo + 1))

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def weighted(self, table):
        u = self.r()
        acc = 0.0
        for w, *val in table:
            acc += w
            if u < acc:
                return val if len(val) > 1 else val[0]
        last = table[-1][1:]
        return last if len(last) > 1 else last[0]

    def person(self, lang):
        data = LANGS[lang]
        f, fa = self.pick(data['first'])
        l, la = self.pick(data['last'])
        if data.get('name_order') == 'family':
            name = l + ' ' + f if lang == 'ja' else l + f
        elif lang == 'en' and self.r() < 0.1:
            name = f"{l}, {f}"
        else:
            name = f"{f} {l}"
        if self.r() < 0.03:
            name += ' ' + self.pick(EMOJI)
        local = f"{fa}.{la}" if self.r() < 0.7 else f"{fa[0]}{la}"
        return (name, f"{local}@{self.pick(self.sender_domains)}")

    def subject_text(self, lang, utf8):
        data = LANGS[lang]
        s = self.pick(data['subjects']).format(n=self.rint(1000, 9999),
                                               v=f"{self.rint(1, 9)}.{self.rint(0, 20)}")
        if utf8 and self.r() < 0.12:
            e = self.pick(EMOJI)
            s = f"{e} {s}" if self.r() < 0.5 else f"{s} {e}"
        return s

    def new_thread(self, lang, mlist):
        t = Thread()
        t.lang = lang
        t.mlist = mlist
        t.people = [self.person(lang) for _ in range(self.rint(2, 4))]
        t.subject = None
        t.msgids = []
        t.left = 0 if self.r() < 0.72 else self.rint(1, 7)
        return t

    def body_text(self, lang, charset, greet_name, sender_name, quote):
        data = LANGS[lang]
        paras, text = self.pick(self.pools.bodies[lang])
        if greet_name:
            greet = self.pick(data['greet_name']).format(name=greet_name)
        else:
            greet = self.pick(data['greet'])
        close = self.pick(data['close'])
        parts = [greet, '\n\n']
        if quote:
            # A short answer above the quote, as most people reply.
            parts.append(wrap(paras[0], data['cjk']))
        else:
            parts.append(text)
        if charset == 'utf-8' and self.r() < 0.15:
            parts.append(' ' + self.pick(EMOJI))
        parts.append(f"\n\n{close}\n{sender_name}\n")
        if self.r() < 0.3:
            parts.append(f"\n-- \n{sender_name}\nExample Corp. | https://www.example.com\n")
        if quote:
            parts.append('\n' + quote)
        return ''.join(parts), paras

    def html_of(self, text_paras, greet, close, sender_name, quote_html, cid):
        esc = html.escape
        if self.r() < 0.45:
            # Outlook: Word's filtered HTML, a style sheet and a span per paragraph.
            out = [OUTLOOK_HEAD]
            popen = ('<p class="MsoNormal"><span style="font-size:11.0pt;font-family:'
                     '&quot;Calibri&quot;,sans-serif">')
            pclose = '<o:p></o:p></span></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
            tail = '</div></body></html>\n'
        else:
            out = ['<html><head><meta http-equiv="Content-Type" content="text/html; '
                   'charset=__CS__"></head><body><div dir="ltr" style="font-family:Arial,'
                   'Helvetica,sans-serif;font-size:14px;color:#222222">\n']
            popen, pclose = '<p>', '</p>\n'
            tail = '</div></body></html>\n'
        out.append(f'{popen}{esc(greet)}{pclose}')
        for p in text_paras:
            out.append(f'{popen}{esc(p)}{pclose}')
        if cid:
            out.append(f'<p><img src="cid:{cid}" alt="image" width="320" height="200" '
                       'style="display:block;border:0"></p>\n')
        out.append(f'{popen}{esc(close)}<br>\n<b>{esc(sender_name)}</b><br>\n<span style="color:'
                   '#888888;font-size:12px">Example Corp. | <a href="https://www.example.com">'
                   f'www.example.com</a></span>{pclose}')
        if quote_html:
            out.append('<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:1px solid '
                       '#cccccc;padding-left:1ex">\n' + quote_html + '</blockquote>\n')
        out.append(tail)
        return ''.join(out)

    def text_part(self, text, charset, cte, subtype='plain'):
        try:
            raw = encode_text(text, charset)
        except UnicodeEncodeError:
            # An emoji or a foreign name the narrow charset lacks: send UTF-8, as mailers do.
            charset = 'utf-8'
            if cte == '7bit':
                cte = 'base64'
            raw = encode_text(text, charset)
        if subtype == 'html':
            raw = raw.replace(b'__CS__', charset.encode('ascii'))
        if cte == '8bit' and raw.isascii():
            cte = '7bit'
        fmt = '; format=flowed' if subtype == 'plain' and self.r() < 0.1 and cte != 'base64' else ''
        return (f"Content-Type: text/{subtype}; charset=\"{charset}\"{fmt}\n"
                f"Content-Transfer-Encoding: {cte}\n\n").encode('ascii') + apply_cte(raw, cte)

    def boundary(self, i, depth):
        return f"=_pochta_{self.seed:x}_{i:x}_{depth}_{self.rng.getrandbits(32):08x}"

    @staticmethod
    def multipart(subtype, boundary, parts, extra=''):
        b = boundary.encode('ascii')
        out = [f'Content-Type: multipart/{subtype};\n boundary="{boundary}"{extra}\n\n'
               'This is a multi-part message in MIME format.\n'.encode('ascii')]
        for p in parts:
            out.append(b'\n--' + b + b'\n')
            out.append(p[:-1] if p.endswith(b'\n') else p)
        out.append(b'\n--' + b + b'--\n')
        return b''.join(out)

    def message(self, i):
        r = self.r
        ts = self.start + int(self.span * (i - 1 + r() * 0.999) / self.args.count)

        # Thread: reply into an open thread, or start a new one.
        t = None
        if self.threads and r() < 0.35:
            k = int(r() * len(self.threads))
            t = self.threads[k]
            t.left -= 1
            if t.left <= 0:
                self.threads.pop(k)
        is_reply = t is not None
        if t is None:
            u = r()
            mlist = None
            if u < 0.15:
                mlist = self.pick(self.lists)
                lang = mlist[3]
            else:
                lang = self.weighted(LANG_WEIGHTS)
            t = self.new_thread(lang, mlist)
            if mlist and mlist[4]:
                t.left = 0
            if t.left > 0:
                self.threads.append(t)
                if len(self.threads) > 40:
                    self.threads.pop(0)
        lang = t.lang
        data = LANGS[lang]
        mlist = t.mlist
        newsletter = bool(mlist and mlist[4])
        charset, cte = self.weighted(data['charsets'])
        if newsletter:
            charset, cte = 'utf-8', 'quoted-printable'

        # People.
        if newsletter:
            sender = ("Example Weekly", "newsletter@news.example.com")
        elif is_reply:
            choices = [p for p in t.people if p != t.last_sender] or t.people
            sender = self.pick(choices)
        else:
            sender = t.people[0]
        if mlist:
            to = [(mlist[2], mlist[1])]
            cc = []
        elif is_reply:
            to = [t.last_sender] if t.last_sender != sender else [t.people[0]]
            cc = [(None, self.owner)] + [p for p in t.people if p != sender and p not in to][:2]
        else:
            to = [(None, self.owner)]
            cc = []
            if r() < 0.08:
                to += [self.person(lang) for _ in range(self.rint(1, 4))]
                if r() < 0.6:
                    cc = [self.person(self.weighted(LANG_WEIGHTS)) for _ in range(self.rint(1, 5))]

        # Subject.
        hdr_cs = charset if charset != 'us-ascii' else 'utf-8'
        if t.subject is None:
            t.subject = self.subject_text(lang, hdr_cs == 'utf-8')
        prefix = ''
        if mlist and not newsletter:
            prefix = '[' + mlist[0].split('.')[0] + '] '
        subj_tokens = header_tokens(t.subject, hdr_cs)
        lead = []
        if is_reply:
            lead.append({'de': 'AW:', 'ja': 'Re:'}.get(lang, 'Re:') if r() < 0.3 else 'Re:')
        if prefix:
            lead.insert(0, prefix.strip())
        subject_hdr = fold('Subject', lead + subj_tokens)

        # Body.
        tz = self.pick(data['tz'])
        date = fmt_date(ts, tz)
        quote = ''
        quote_html = ''
        if is_reply and t.last_text:
            qlines = t.last_text.split('\n')[:60]
            quote = (data['wrote'].format(date=t.last_date, name=t.last_name) + '\n' +
                     '\n'.join(('>' + l) if l.startswith('>') else ('> ' + l if l else '>')
                               for l in qlines) + '\n')
            quote_html = ''.join(f'{html.escape(l)}<br>\n' for l in qlines)
        greet_name = to[0][0] if to[0][0] and not mlist else None
        if greet_name and data.get('name_order') != 'family':
            greet_name = greet_name.split(' ')[0].rstrip(',')
        text, paras = self.body_text(lang, charset, greet_name, sender[0], quote)
        if is_reply:
            paras = paras[:1]

        # Structure.
        if newsletter:
            kind = 'alternative'
        elif is_reply:
            kind = 'plain' if r() < 0.55 else 'alternative'
        else:
            u = r()
            kind = ('plain' if u < 0.50 else 'alternative' if u < 0.875 else
                    'related' if u < 0.96 else 'mixed' if u < 0.99 else 'forward')
        depth = 0
        if kind == 'plain':
            body = self.text_part(text, charset, cte)
        else:
            greet, _, _ = text.partition('\n\n')
            close = self.pick(data['close'])
            hcte = 'quoted-printable' if cte in ('8bit', '7bit', 'quoted-printable') else 'base64'
            if charset == 'iso-2022-jp':
                hcte = '7bit'
            cid = None
            if newsletter:
                hbody = self.pools.newsletter(int(r() * 16)) + (
                    f'<img src="https://news.example.com/open/{self.rng.getrandbits(64):016x}.gif"'
                    ' width="1" height="1" alt="">\n</body></html>\n')
                text_alt = "View this newsletter in your browser:\nhttps://news.example.com/weekly\n\n" + text
            else:
                if kind == 'related':
                    cid = f"part{i}.{self.rng.getrandbits(32):08x}@{sender[1].split('@')[1]}"
                hbody = self.html_of(paras, greet, close, sender[0], quote_html, cid)
                if charset == 'iso-2022-jp':
                    hbody = wrap_html_jis(hbody)
                text_alt = text
            html_part = self.text_part(hbody, charset, hcte, 'html')
            text_part = self.text_part(text_alt, charset, cte)
            if kind == 'related':
                name, img = self.pools.image(int(r() * 24))
                img_part = (f'Content-Type: image/png; name="{name}"\n'
                            'Content-Transfer-Encoding: base64\n'
                            f'Content-ID: <{cid}>\n'
                            f'Content-Disposition: inline; filename="{name}"\n\n').encode('ascii') + img
                related = self.multipart('related', self.boundary(i, 1), [html_part, img_part],
                                         '; type="text/html"')
                if r() < 0.5:
                    body = self.multipart('alternative', self.boundary(i, 0), [text_part, related])
                else:
                    body = related
            elif kind in ('mixed', 'forward'):
                first = (self.multipart('alternative', self.boundary(i, 1), [text_part, html_part])
                         if r() < 0.5 else text_part)
                if kind == 'mixed':
                    n = 1 if r() < 0.7 else self.rint(2, 3)
                    atts = [self.pools.attachment(int(r() * 40)) for _ in range(n)]
                else:
                    atts = [self.forwarded(i, ts)]
                body = self.multipart('mixed', self.boundary(i, 0), [first] + atts)
            else:
                body = self.multipart('alternative', self.boundary(i, 0), [text_part, html_part])

        # Identity and threading.
        sdom = sender[1].split('@')[1]
        msgid = f"<{ts:x}.{i:06d}.{self.rng.getrandbits(40):010x}@{sdom}>"
        h = []
        h.append(f"Return-Path: <{sender[1]}>\n")
        h.append(f"Delivered-To: {self.owner}\n")
        qid = f"{self.rng.getrandbits(48):012X}"
        h.append(f"Received: from mx1.{self.domain} (localhost [127.0.0.1])\n"
                 f"\tby mail.{self.domain} (Postfix) with ESMTP id {qid}\n"
                 f"\tfor <{self.owner}>; {fmt_date(ts + 2, 0)}\n")
        ip = f"{self.pick(('192.0.2', '198.51.100', '203.0.113'))}.{self.rint(1, 254)}"
        h.append(f"Received: from smtp.{sdom} (smtp.{sdom} [{ip}])\n"
                 f"\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
                 f"\tby mx1.{self.domain} (Postfix) with ESMTPS id {qid[:8]}\n"
                 f"\tfor <{self.owner}>; {fmt_date(ts + 1, 0)}\n")
        h.append(f"X-Spam-Status: No, score={r() * 4 - 1.5:.1f} required=5.0\n"
                 "\ttests=BAYES_00,DKIM_SIGNED,DKIM_VALID,SPF_PASS autolearn=ham\n"
                 "\tautolearn_force=no version=4.0.0\n")
        if r() < 0.75:
            bh = binascii.b2a_base64(random_bytes(self.rng, 32), newline=False).decode()
            sig = binascii.b2a_base64(random_bytes(self.rng, 256), newline=False).decode()
            h.append(f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={sdom};\n"
                     f"\ts=s{self.rint(1, 3)}; t={ts}; h=from:to:subject:date:message-id;\n"
                     f"\tbh={bh};\n\tb=" + '\n\t '.join(sig[k:k + 70] for k in range(0, len(sig), 70)) + "\n")
            h.append(f"Authentication-Results: mx1.{self.domain};\n\tdkim=pass header.d={sdom};\n"
                     f"\tspf=pass smtp.mailfrom={sender[1]}\n")
        h.append(f"Date: {date}\n")
        h.append(address_header('From', [sender], hdr_cs))
        if mlist and not newsletter:
            h.append(f"Sender: {mlist[0].split('.')[0]}-bounces@{mlist[0].split('.', 1)[1]}\n")
        h.append(address_header('To', to, hdr_cs))
        if cc:
            h.append(address_header('Cc', cc, hdr_cs))
        h.append(subject_hdr)
        h.append(f"Message-ID: {msgid}\n")
        if is_reply and t.msgids:
            h.append(f"In-Reply-To: {t.msgids[-1]}\n")
            refs = t.msgids if len(t.msgids) <= 10 else t.msgids[:1] + t.msgids[-9:]
            h.append(fold('References', refs))
        if not newsletter:
            h.append(self.pick(MAILERS) + "\n")
        if mlist:
            lid, laddr, ldesc = mlist[0], mlist[1], mlist[2]
            local, ldom = laddr.split('@')
            h.append(fold('List-Id', phrase(ldesc, 'utf-8').split(' ') + [f"<{lid}>"]))
            h.append(f"List-Unsubscribe: <mailto:{local}-request@{ldom}?subject=unsubscribe>,\n"
                     f" <https://{ldom}/mailman/options/{local}>\n")
            if newsletter:
                h.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n")
            else:
                h.append(f"List-Post: <mailto:{laddr}>\n")
                h.append(f"List-Archive: <https://{ldom}/archives/{local}/>\n")
            h.append("Precedence: list\n")
        h.append("MIME-Version: 1.0\n")
        data_bytes = ''.join(h).encode('ascii') + body

        # Thread bookkeeping for the replies that follow.
        t.msgids.append(msgid)
        t.last_text = text if len(text) < 6000 else text[:6000]
        t.last_name = sender[0]
        t.last_date = date
        t.last_sender = sender
        return ts, sender[1], data_bytes

    def forwarded(self, i, ts):
        lang = self.weighted(LANG_WEIGHTS)
        p = self.person(lang)
        charset, cte = self.weighted(LANGS[lang]['charsets'])
        if cte == '8bit':
            cte = 'quoted-printable'
        text, _ = self.body_text(lang, charset, None, p[0], '')
        subj = self.subject_text(lang, charset == 'utf-8')
        hcs = charset if charset != 'us-ascii' else 'utf-8'
        inner = (f"Date: {fmt_date(ts - self.rint(3600, 86400 * 30), self.pick(LANGS[lang]['tz']))}\n"
                 + address_header('From', [p], hcs) + f"To: <{self.owner}>\n"
                 + fold('Subject', header_tokens(subj, hcs))
                 + f"Message-ID: <fwd.{i:06d}.{self.rng.getrandbits(32):08x}@{p[1].split('@')[1]}>\n"
                 "MIME-Version: 1.0\n").encode('ascii') + self.text_part(text, charset, cte)
        return (b'Content-Type: message/rfc822\nContent-Disposition: attachment; '
                b'filename="forwarded.eml"\n\n' + inner)


def wrap_html_jis(s):
    # iso-2022-jp is a 7bit charset, so HTML goes out unencoded: keep lines short.
    out = []
    for line in s.split('\n'):
        while len(line) > 70:
            cut = line.rfind('>', 0, 70)
            if cut <= 0:
                cut = 70
            out.append(line[:cut + 1])
            line = line[cut + 1:]
        out.append(line)
    return '\n'.join(out)


# --------------------------------------------------------------------------
# Output.

_FROM_RE = re.compile(rb'^(>*From )', re.M)


def flags_for(u):
    if u < 0.05:
        return 'RS'
    if u < 0.07:
        return 'F'
    if u < 0.09:
        return 'FS'
    if u < 0.67:
        return 'S'
    return ''


def parse_date(s):
    try:
        return datetime.datetime.strptime(s, '%Y-%m-%d')
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {s!r}")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Write a deterministic mailbox of realistic mail (same seed, same bytes).")
    ap.add_argument('--seed', type=int, required=True, help="same seed and arguments, same bytes")
    ap.add_argument('--count', type=int, required=True, help="number of messages")
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument('--maildir', metavar='DIR', help="Maildir (cur/ new/ tmp/), mtime = Date")
    out.add_argument('--eml-dir', metavar='DIR', help="one 00001.eml per message")
    out.add_argument('--mbox', metavar='FILE', help="one mboxrd file")
    ap.add_argument('--domain', default='example.test')
    ap.add_argument('--to', metavar='USER@DOMAIN', help="the mailbox owner (default user@DOMAIN)")
    ap.add_argument('--profile', choices=['realistic', 'small'], default='realistic',
                    help="small caps attachments at 50 KB (tests); realistic goes to a few MB")
    ap.add_argument('--start-date', type=parse_date, default=None, metavar='YYYY-MM-DD',
                    help="oldest message date, UTC (default: two years before --end-date)")
    ap.add_argument('--end-date', type=parse_date, default=datetime.datetime(2026, 11, 1),
                    metavar='YYYY-MM-DD', help="all messages are older than this (default 2026-11-01)")
    args = ap.parse_args(argv)
    if args.seed < 0 or args.count < 0:
        ap.error("--seed and --count must not be negative")
    if args.start_date is None:
        e = args.end_date
        args.start_date = e.replace(year=e.year - 2) if not (e.month == 2 and e.day == 29) \
            else e.replace(year=e.year - 2, day=28)

    t0 = time.monotonic()
    gen = Generator(args)
    total = 0
    width = max(5, len(str(args.count)))
    if args.maildir:
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
        cur = os.path.join(args.maildir, 'cur')
        for i in range(1, args.count + 1):
            ts, _, data = gen.message(i)
            flags = flags_for(gen.r())
            path = os.path.join(cur, f"{ts}.M{i}P{args.seed}.pochta,S={len(data)}:2,{flags}")
            with open(path, 'wb') as f:
                f.write(data)
            os.utime(path, (ts, ts))
            total += len(data)
    elif args.eml_dir:
        os.makedirs(args.eml_dir, exist_ok=True)
        for i in range(1, args.count + 1):
            ts, _, data = gen.message(i)
            gen.r()  # keep the sequence identical to the Maildir flags draw
            path = os.path.join(args.eml_dir, f"{i:0{width}d}.eml")
            with open(path, 'wb') as f:
                f.write(data)
            os.utime(path, (ts, ts))
            total += len(data)
    else:
        d = os.path.dirname(args.mbox)
        if d:
            os.makedirs(d, exist_ok=True)
        with open(args.mbox, 'wb') as f:
            for i in range(1, args.count + 1):
                ts, sender, data = gen.message(i)
                gen.r()
                if b'From ' in data:
                    data = _FROM_RE.sub(rb'>\1', data)
                f.write(f"From {sender} {fmt_asctime(ts)}\n".encode('ascii'))
                f.write(data)
                f.write(b'\n')
                total += len(data)
    secs = time.monotonic() - t0
    print(f"pochta-mail-generator: {args.count} messages, {total} bytes "
          f"({total / 1048576:.1f} MiB), {secs:.1f} s", file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
