"""Every fixed text of the Telegram interface, in Kazakh, Russian and English."""

from __future__ import annotations

from typing import Final

Texts = dict[str, str]

START: Final[Texts] = {
    "kk": "Сәлем! Мен волонтерлер мен қоғамдық көмекшілер туралы заңдар бойынша жауап беремін және әрқашан "
    "бапты дәйексөзбен келтіремін. Тілді таңдаңыз немесе мысал сұрақты басыңыз:",
    "ru": "Здравствуйте! Я отвечаю на вопросы по законам о волонтёрах и общественных помощниках и всегда "
    "цитирую статью. Выберите язык или нажмите пример вопроса:",
    "en": "Hello! I answer questions on Kazakhstan's laws on volunteers and public assistants, always quoting "
    "the article. Choose a language or tap an example question:",
}
EXAMPLES: Final[dict[str, list[str]]] = {
    "kk": [
        "Волонтерге жол ақысын кім төлейді?",
        "Қоғамдық көмекші кім бола алады?",
        "Қоғамдық көмекші күш қолдана ала ма?",
    ],
    "ru": [
        "Кто оплачивает проезд волонтёра?",
        "Кто может стать общественным помощником?",
        "Может ли общественный помощник применять силу?",
    ],
    "en": [
        "Who pays a volunteer's travel costs?",
        "Who can become a public assistant?",
        "Can a public assistant use force?",
    ],
}
HELP: Final[Texts] = {
    "kk": "Сұрағыңызды жай жазыңыз. Командалар:\n/ask сұрақ — сұрау\n/article акт бап — баптың толық мәтіні "
    "(мысалы: /article волонтер 12)\n/eligibility — қоғамдық көмекші бола аламын ба\n/force — көмекші қандай "
    "күш қолдана алады\n/lang kk|ru|en — тіл\n/about — актілер туралы\n/forget — мен туралы деректерді жою\n"
    "Топта: /ask@{bot}, менің хабарыма жауап немесе @{bot} деп атаңыз. Кез келген чатта: @{bot} сұрақ.",
    "ru": "Просто напишите вопрос. Команды:\n/ask вопрос — спросить\n/article акт номер — полный текст статьи "
    "(например: /article волонтер 12)\n/eligibility — могу ли я стать общественным помощником\n/force — какую "
    "силу может применять помощник\n/lang kk|ru|en — язык\n/about — о законах\n/forget — удалить мои данные\n"
    "В группе: /ask@{bot}, ответ на моё сообщение или упоминание @{bot}. В любом чате: @{bot} вопрос.",
    "en": "Just type your question. Commands:\n/ask question — ask\n/article act number — the full article "
    "(e.g. /article volunteer 12)\n/eligibility — can I become a public assistant\n/force — what force an "
    "assistant may use\n/lang kk|ru|en — language\n/about — about the laws\n/forget — delete my data\n"
    "In a group: /ask@{bot}, reply to my message or mention @{bot}. In any chat: @{bot} question.",
}
LANG_SET: Final[Texts] = {"kk": "Тіл: қазақша.", "ru": "Язык: русский.", "en": "Language: English."}
LANG_USAGE: Final[Texts] = {
    "kk": "Қолданылуы: /lang kk, /lang ru немесе /lang en",
    "ru": "Использование: /lang kk, /lang ru или /lang en",
    "en": "Usage: /lang kk, /lang ru or /lang en",
}
ASK_USAGE: Final[Texts] = {
    "kk": "Сұрақты командадан кейін жазыңыз: /ask Волонтердің құқықтары қандай?",
    "ru": "Напишите вопрос после команды: /ask Какие права у волонтёра?",
    "en": "Write the question after the command: /ask What rights does a volunteer have?",
}
ARTICLE_USAGE: Final[Texts] = {
    "kk": "Қолданылуы: /article акт бап, мысалы /article волонтер 12 немесе /article профилактика 46",
    "ru": "Использование: /article акт номер, например /article волонтер 12 или /article профилактика 46",
    "en": "Usage: /article act number, e.g. /article volunteer 12 or /article prevention 46",
}
ABOUT_HEAD: Final[Texts] = {
    "kk": "Мен мына актілердің ресми мәтіндерінен дәйексөз келтіремін:",
    "ru": "Я цитирую официальные тексты этих актов:",
    "en": "I quote the official texts of these acts:",
}
ABOUT_LINE: Final[Texts] = {
    "kk": "• {title} — № {number}, {date}; соңғы өзгеріс ескертпесі: {amended}",
    "ru": "• {title} — № {number}, {date}; последняя отметка об изменениях: {amended}",
    "en": "• {title} — No. {number}, {date}; latest amendment note: {amended}",
}
NONE: Final[Texts] = {"kk": "жоқ", "ru": "нет", "en": "none"}
FORGOTTEN: Final[Texts] = {
    "kk": "Сіз туралы сақталған деректер жойылды ({rows} жазба).",
    "ru": "Сохранённые о вас данные удалены ({rows} записей).",
    "en": "Everything stored about you was deleted ({rows} records).",
}
NOT_TEXT: Final[Texts] = {
    "kk": "Мен мәтіндік сұрақтарға жауап беремін. Сұрағыңызды жазыңыз.",
    "ru": "Я отвечаю на текстовые вопросы. Напишите вопрос словами.",
    "en": "I answer text questions. Please type your question.",
}
UNKNOWN_COMMAND: Final[Texts] = {
    "kk": "Мұндай команда жоқ. /help — командалар тізімі.",
    "ru": "Такой команды нет. /help — список команд.",
    "en": "There is no such command. /help lists the commands.",
}
SLOW_DOWN: Final[Texts] = {
    "kk": "Сұрақтар тым жиі. {seconds} секундтан кейін қайталаңыз.",
    "ru": "Слишком много вопросов подряд. Подождите {seconds} с.",
    "en": "Too many questions in a row. Please wait {seconds} s.",
}
ERROR: Final[Texts] = {
    "kk": "Кешіріңіз, бірдеңе дұрыс болмады. Қайталап көріңіз.",
    "ru": "Извините, что-то пошло не так. Попробуйте ещё раз.",
    "en": "Sorry, something went wrong. Please try again.",
}
THANKS: Final[Texts] = {"kk": "Рақмет!", "ru": "Спасибо за отзыв!", "en": "Thanks for the feedback!"}
EXPIRED: Final[Texts] = {
    "kk": "Бұл батырма ескірген.",
    "ru": "Эта кнопка устарела.",
    "en": "This button has expired.",
}
BUTTON_ARTICLE: Final[Texts] = {"kk": "📖 Толық бап", "ru": "📖 Вся статья", "en": "📖 Full article"}
BUTTON_SHARE: Final[Texts] = {"kk": "↗️ Бөлісу", "ru": "↗️ Поделиться", "en": "↗️ Share"}
BUTTON_YES: Final[Texts] = {"kk": "Иә", "ru": "Да", "en": "Yes"}
BUTTON_NO: Final[Texts] = {"kk": "Жоқ", "ru": "Нет", "en": "No"}
BUTTON_UNSURE: Final[Texts] = {"kk": "Білмеймін", "ru": "Не знаю", "en": "Not sure"}
INLINE_HINT: Final[Texts] = {
    "kk": "Кемінде 3 сөзден тұратын сұрақ жазыңыз",
    "ru": "Напишите вопрос хотя бы из 3 слов",
    "en": "Type a question of at least 3 words",
}
INLINE_RELATED: Final[Texts] = {  # title prefix of a "related" card: not the answer itself
    "kk": "Тікелей жауап емес, қатысты: ",
    "ru": "Не прямой ответ, связанная норма: ",
    "en": "Not a direct answer, related: ",
}
INLINE_NOTHING: Final[Texts] = {
    "kk": "Заңдарда жауап табылмады",
    "ru": "В законах ответа нет",
    "en": "The statutes do not answer this",
}
