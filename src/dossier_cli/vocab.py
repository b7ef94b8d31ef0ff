"""One vocabulary per enumerated field: the stored value, its label per language, and the
words accepted for it in both languages.

Every command and every import reads an enumerated value through here, so `звонок`,
`call` and `phone` are the same kind of touch whatever the display language, and a
value is shown in the display language while JSON and CSV keep the stored value.

Matching ignores case, `ё`/`е`, hyphens, underscores and extra spaces.
Stored values never change (they are in people's databases and scripts).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dossier_cli.text import fold


@lru_cache(maxsize=4096)  # an import asks for the same few words on every row (kinds, stages, sources)
def match_key(text: str) -> str:
    """What two spellings of one word share: `No-Answer`, `no_answer`, `no answer`."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class Term:
    value: str  # stored, never translated
    en: str  # the English label
    ru: str  # the Russian label
    synonyms: tuple[str, ...] = ()  # other accepted words, either language

    def label(self, language: str) -> str:
        return self.ru if language == "ru" else self.en

    def words(self) -> tuple[str, ...]:
        return (self.value, self.en, self.ru, *self.synonyms)


class Vocabulary:
    """The terms of one field, looked up by any of their words."""

    def __init__(self, field: str, terms: Iterable[Term]) -> None:
        self.field = field
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_value = {term.value: term for term in self.terms}
        self._words: dict[str, Term] | None = None  # built on the first lookup by word

    @property
    def _by_word(self) -> dict[str, Term]:
        """Every accepted word (its match key) -> its term; a word naming two terms is a mistake
        in the tables below (tests/test_vocab.py looks every one up)."""
        if self._words is None:
            words: dict[str, Term] = {}
            for term in self.terms:
                for word in term.words():
                    other = words.setdefault(match_key(word), term)
                    if other is not term:  # pragma: no cover - a mistake in the table below
                        raise ValueError(f"{self.field}: '{word}' names both '{other.value}' and '{term.value}'")
            self._words = words
        return self._words

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(term.value for term in self.terms)

    def lookup(self, word: str) -> str | None:
        """The stored value a word names, or None."""
        term = self._by_word.get(match_key(word))
        return term.value if term else None

    def require(self, word: str, unknown: str) -> str:
        """The stored value a word names; else InvalidInput: `unknown` (a translated message
        with `{value}`), and the choices as the hint."""
        value = self.lookup(word)
        if value is not None:
            return value
        from dossier_cli.errors import InvalidInput
        from dossier_cli.i18n import _

        raise InvalidInput(unknown.format(value=word), hint=_("choose one of: {choices}").format(choices=self.choices()))

    def term(self, value: str) -> Term | None:
        return self._by_value.get(value) or self._by_word.get(match_key(value))

    def label(self, value: str, language: str | None = None) -> str:
        """The value as shown in the display language (an unknown value as it is)."""
        term = self.term(value)
        if term is None:
            return value
        if language is None:
            from dossier_cli.i18n import language as current

            language = current()
        return term.label(language)

    def choices(self, language: str | None = None) -> str:
        """The values for a hint: `a, b, c` (the stored values in English, labels in Russian)."""
        if language is None:
            from dossier_cli.i18n import language as current

            language = current()
        if language == "en":
            return ", ".join(self.values)
        return ", ".join(self.label(value, language) for value in self.values)

    def resolve_configured(self, word: str, configured: Iterable[str]) -> str | None:
        """A word as one of a configured list (stages, kinds, sources the user may rename or
        extend): the entry itself, or the entry that names the same term in either language."""
        entries = list(configured)
        key = match_key(word)
        for entry in entries:
            if match_key(entry) == key:
                return entry
        term = self._by_word.get(key)
        if term is None:
            return None
        for entry in entries:
            if self._by_word.get(match_key(entry)) is term:
                return entry
        return None


T = Term

STAGES = Vocabulary("stage", [
    T("target", "target", "цель", ("целевой", "целевая", "потенциальный", "потенциальный клиент", "prospect")),
    T("researching", "researching", "изучение", ("изучаем", "исследование", "сбор информации", "research")),
    T("contacted", "contacted", "первый контакт", ("контакт", "связались", "контакт установлен", "contact")),
    T("negotiating", "negotiating", "переговоры", ("ведём переговоры", "negotiation", "negotiations")),
    T("client", "client", "клиент", ("заказчик", "покупатель", "customer")),
    T("regular", "regular", "постоянный клиент", ("постоянный", "regular client", "regular customer")),
    T("key", "key", "ключевой клиент", ("ключевой", "key client", "key account", "key customer")),
])

ROLES = Vocabulary("role", [
    T("economic-buyer", "economic buyer", "экономический покупатель",
      ("financial buyer", "economic", "financial", "финансовый покупатель", "финансовый", "экономический", "лпр",
       "лицо принимающее решение")),
    T("technical-buyer", "technical buyer", "технический покупатель", ("technical", "технический", "технический эксперт")),
    T("user", "user", "пользователь", ("end user", "конечный пользователь")),
    T("coach", "coach", "наставник", ("referrer", "коуч", "союзник", "проводник", "информатор")),
    T("owner", "owner", "владелец", ("собственник", "учредитель")),
    T("other", "other", "другое", ("другая", "другой", "иное", "прочее")),
])

TOUCH_KINDS = Vocabulary("kind of touch", [
    T("call", "call", "звонок", ("phone", "phone call", "телефон", "созвон", "телефонный звонок")),
    T("email", "email", "электронное письмо",
      ("e-mail", "mail", "почта", "эл. почта", "электронная почта", "имейл", "емейл", "эл. письмо")),
    T("letter", "letter", "письмо", ("бумажное письмо", "post")),
    T("meeting", "meeting", "встреча", ("личная встреча",)),
    T("visit", "visit", "визит", ("посещение", "выезд")),
    T("exhibition", "exhibition", "выставка", ("expo", "trade show", "ярмарка")),
    T("other", "other", "другое", ("иное", "прочее")),
])

OUTCOMES = Vocabulary("outcome", [
    T("positive", "positive", "положительный",
      ("yes", "да", "положительно", "позитивный", "позитивно", "успех", "успешно", "интерес")),
    T("neutral", "neutral", "нейтральный", ("нейтрально", "так себе")),
    T("no", "no", "отказ", ("нет", "refused", "refusal", "отрицательный", "отрицательно", "отказались", "отказал")),
    T("no-answer", "no answer", "нет ответа",
      ("noanswer", "unanswered", "no reply", "не ответил", "не ответила", "не ответили", "не дозвонился",
       "не дозвонилась", "не дозвонились", "недозвон", "не берут трубку", "не берёт трубку")),
])

ACTIVITIES = Vocabulary("activity", [
    T("extraction", "extraction", "добыча", ("mining", "добыча сырья", "добывающая")),
    T("production", "production", "производство", ("manufacturing", "производственная")),
    T("trade", "trade", "торговля",
      ("retail", "wholesale", "розница", "опт", "оптовая торговля", "розничная торговля", "торговая")),
    T("services", "services", "услуги", ("service", "сервис", "оказание услуг")),
])

SOURCES = Vocabulary("information source", [
    T("internet search", "internet search", "поиск в интернете", ("интернет", "поиск", "web search")),
    T("company website", "company website", "сайт компании", ("сайт", "website")),
    T("media", "media", "СМИ", ("пресса", "медиа", "press")),
    T("social network", "social network", "социальная сеть", ("соцсеть", "соцсети", "социальные сети", "social media")),
    T("business club", "business club", "бизнес-клуб", ("деловой клуб",)),
    T("chamber of commerce", "chamber of commerce", "торгово-промышленная палата", ("тпп",)),
    T("regulator or registry", "regulator or registry", "регулятор или реестр", ("реестр", "регулятор", "егрюл", "registry")),
    T("tax register", "tax register", "налоговый реестр", ("реестр мсп", "реестр фнс", "фнс", "sme register")),
    T("industry association", "industry association", "отраслевая ассоциация", ("ассоциация",)),
    T("exhibition", "exhibition", "выставка", ("expo", "trade show", "ярмарка")),
    T("conference", "conference", "конференция", ("форум",)),
    T("referral", "referral", "рекомендация", ("по рекомендации", "рекомендации", "сарафанное радио")),
    T("existing client", "existing client", "действующий клиент", ("наш клиент",)),
    T("partner or supplier", "partner or supplier", "партнёр или поставщик", ("партнёр", "поставщик", "partner", "supplier")),
    T("tender", "tender", "тендер", ("торги", "госзакупки", "закупка")),
    T("directory", "directory", "справочник", ("каталог",)),
    T("cold call", "cold call", "холодный звонок", ("холодные звонки",)),
    T("inbound enquiry", "inbound enquiry", "входящее обращение",
      ("inbound inquiry", "входящий запрос", "входящая заявка", "заявка")),
    T("former employee", "former employee", "бывший сотрудник", ("бывший работник",)),
    T("competitor's client", "competitor's client", "клиент конкурента", ("competitors client", "клиенты конкурентов")),
    T("owner's previous business", "owner's previous business", "прежний бизнес владельца",
      ("owners previous business", "прошлый бизнес владельца")),
    T("other", "other", "другое", ("иное", "прочее")),
])

NEGOTIATION_FORMATS = Vocabulary("negotiation format", [
    T("formal", "formal", "формальные", ("формальный", "формально", "официальные", "официальный", "официально")),
    T("informal", "informal", "в ресторане",
      ("неформальный", "неформальные", "неформально", "ресторан", "за обедом", "over a meal")),
])

STATUSES = Vocabulary("status", [
    T("active", "active", "действует", ("действующая", "активна", "активная")),
    T("liquidated", "liquidated", "ликвидирована", ("ликвидированная", "закрыта")),
    T("lost", "lost", "потеряна", ("потерянная", "проиграна")),
])

# What happened in a company's stage history (`dossier history`).
EVENTS = Vocabulary("event", [
    T("move", "move", "переход"),
    T("lost", "lost", "потеряна", ("проигрыш",)),
    T("reopen", "reopen", "возобновлена", ("снова",)),
])

# The notes dossier itself writes on a stage change (stored in English; shown in the display language).
SYSTEM_NOTES = Vocabulary("note", [
    T("listed", "listed", "внесена"),
    T("imported", "imported", "загружена"),
])

# The dossier's choice items with a vocabulary, by item key (options of other items match as written).
DOSSIER_CHOICES: dict[str, Vocabulary] = {"negotiation_format": NEGOTIATION_FORMATS}

# Why a deal was lost (`dossier lose --reason`, selling/lost.py); the config's `lost_reasons`
# add free-text reasons of their own.
LOST_REASONS = Vocabulary("lost reason", [
    T("price", "price", "цена", ("too expensive", "дорого", "высокая цена")),
    T("competitor", "competitor", "конкурент", ("competition", "конкуренты", "ушли к конкуренту")),
    T("no budget", "no budget", "нет бюджета", ("budget", "бюджет", "нет денег")),
    T("no need", "no need", "нет потребности", ("not needed", "не нужно", "нет нужды")),
    T("no answer", "no answer", "нет ответа", ("no reply", "не отвечают", "пропали")),
    T("bad timing", "bad timing", "не вовремя", ("timing", "not now", "не сейчас", "неудачное время")),
    T("other", "other", "другое", ("иное", "прочее")),
])

# Answers to a yes/no question.
YES_NO = Vocabulary("answer", [
    T("yes", "yes", "да", ("y", "д", "true", "1", "+", "x", "ага", "конечно")),
    T("no", "no", "нет", ("n", "н", "false", "0", "-")),
])


def is_yes(answer: str) -> bool | None:
    """True for y/yes/д/да, False for n/no/н/нет, None for anything else."""
    value = YES_NO.lookup(answer)
    return None if value is None else value == "yes"
