"""Every fixed sentence the bot says, in Kazakh, Russian and English (named constants)."""

from __future__ import annotations

from typing import Final

LEAD: Final = {
    "kk": "Бұл сұраққа «{act}» {kind} {citation} жауап береді. Ресми мәтіннен дәйексөз:",
    "ru": "Ответ даёт {kind_ru} «{act}», {citation}. Цитата из официального текста (на казахском):",
    "en": "The answer is in the {kind_en} “{act}”, {citation}. Quoted from the official Kazakh text:",
}
ACT_KIND: Final = {
    "law": {"kk": "Заңның", "ru": "Закон", "en": "Law"},
    "government_resolution": {
        "kk": "Үкімет қаулысының",
        "ru": "постановление Правительства",
        "en": "Government resolution",
    },
}
ALSO: Final = {"kk": "Қатысты ережелер:", "ru": "Связанные нормы:", "en": "Related provisions:"}
FULL_ARTICLE: Final = {
    "kk": "Баптың толық мәтіні: /article {act_word} {article}",
    "ru": "Полный текст статьи: /article {act_word} {article}",
    "en": "Full article: /article {act_word} {article}",
}
CANNOT_ANSWER: Final = {
    "kk": "Қарастырылған заңдар мен баяндамада бұл сұраққа жауап табылмады, сондықтан болжам айтпаймын.",
    "ru": "В законах и докладе, которые я знаю, ответа на этот вопрос нет, поэтому гадать не буду.",
    "en": "The statutes I know do not answer this question, so I will not guess.",
}
CAN_ANSWER: Final = {
    "kk": (
        "Мен мына актілер бойынша жауап беремін: «Волонтерлік қызмет туралы» Заң, «Құқық бұзушылық "
        "профилактикасы туралы» Заң (қоғамдық көмекшілер), «Қазақстан халқы Ассамблеясы туралы» Заң және "
        "балалардың қарулы жанжалдарға қатысуы туралы баяндама. Мысалы: «Волонтердің қандай құқықтары бар?», "
        "«Қоғамдық көмекші кім бола алады?»"
    ),
    "ru": (
        "Я отвечаю по законам «О волонтерской деятельности», «О профилактике правонарушений» (общественные "
        "помощники), «Об Ассамблее народа Казахстана» и по докладу об участии детей в вооружённых "
        "конфликтах. Например: «Какие права у волонтёра?», «Кто может стать общественным помощником?»"
    ),
    "en": (
        "I answer from the laws on volunteer activity, on the prevention of offences (public assistants), on "
        "the Assembly of the People of Kazakhstan, and the report on children in armed conflict. "
        "For example: “What rights does a volunteer have?”, “Who can become a public assistant?”"
    ),
}
NOT_IN_STATUTES: Final = {
    "kk": "Бұл сұрақ осы заңдардың тақырыбына қатысты, бірақ заңдарда оған жауап жоқ: онда {kind} жоқ.",
    "ru": "Вопрос касается темы этих законов, но ответа на него в них нет: в законах нет {kind}.",
    "en": "This question is about these statutes' subject, but they do not answer it: they contain no {kind}.",
}
ASKED_KIND: Final = {
    "price": {"kk": "бағалар мен сатып алу орындары", "ru": "цен и мест покупки", "en": "prices or places to buy"},
    "opinion": {"kk": "пікір мен баға", "ru": "мнений и оценок", "en": "opinions"},
    "statistic": {"kk": "статистика мен сандар", "ru": "статистики и цифр", "en": "statistics or figures"},
    "address": {
        "kk": "мекенжай, телефон мен байланыс",
        "ru": "адресов, телефонов и контактов",
        "en": "addresses, phone numbers or contacts",
    },
    "news": {"kk": "жаңалықтар мен оқиғалар", "ru": "новостей и событий", "en": "news or events"},
    "history": {"kk": "тарихи мәліметтер", "ru": "исторических сведений", "en": "history"},
    "prediction": {"kk": "болжамдар", "ru": "прогнозов", "en": "predictions"},
    "judgment": {"kk": "заңның өзіне баға", "ru": "оценок самого закона", "en": "judgments of the law itself"},
    "other": {"kk": "мұндай мәлімет", "ru": "таких сведений", "en": "such information"},
}
RELATED_HEAD: Final = {
    "kk": "Ең жақын ережелер (жауап емес, тек қатысты):",
    "ru": "Ближайшие нормы (это не ответ, а связанные положения):",
    "en": "The closest provisions (related, not an answer):",
}
DISCLAIMER: Final = {
    "kk": "Бұл заң мәтінінен дәйексөз, заңгерлік кеңес емес.",
    "ru": "Это цитата закона, а не юридическая консультация.",
    "en": "This quotes the law; it is not legal advice.",
}
EMPTY: Final = {
    "kk": "Сұрағыңызды мәтінмен жазыңыз, мысалы: «Волонтердің қандай құқықтары бар?»",
    "ru": "Напишите вопрос текстом, например: «Какие права у волонтёра?»",
    "en": "Type your question as text, for example: “What rights does a volunteer have?”",
}
TOO_LONG: Final = {
    "kk": "Сұрақ тым ұзын ({length} таңба). Оны {limit} таңбаға дейін қысқартыңыз.",
    "ru": "Вопрос слишком длинный ({length} символов). Сократите его до {limit} символов.",
    "en": "The question is too long ({length} characters). Please shorten it to {limit} characters.",
}
NOT_TEXT: Final = {
    "kk": "Сұрақта оқылатын сөз жоқ. Сұрағыңызды сөзбен жазыңыз.",
    "ru": "В вопросе нет слов, которые я мог бы прочитать. Напишите его словами.",
    "en": "I could not find any words in that. Please write your question in words.",
}
UNAVAILABLE: Final = {
    "kk": "Білім қоры қазір қолжетімсіз. Кейінірек қайталап көріңіз.",
    "ru": "База знаний сейчас недоступна. Попробуйте позже.",
    "en": "The knowledge base is unavailable right now. Please try again later.",
}
ELIGIBILITY_LEAD: Final = {
    "kk": (
        "Қоғамдық көмекші бола аласыз ба — «Құқық бұзушылық профилактикасы туралы» Заңның 45-бабындағы "
        "шарттарға байланысты. Төмендегі тармақтардың біреуі сізге қатысты болса, қатысуға жіберілмейсіз; "
        "ешқайсысы қатысты болмаса, құқық қорғау органына өтініш бере аласыз."
    ),
    "ru": (
        "Можно ли вам стать общественным помощником, зависит от условий ст. 45 Закона «О профилактике "
        "правонарушений». Если к вам относится хотя бы одно из оснований ниже, к участию не допустят; если "
        "ни одно не относится — можно подавать заявление в правоохранительный орган."
    ),
    "en": (
        "Whether you can become a public assistant depends on the conditions of Art. 45 of the Law “On the "
        "Prevention of Offences”. If any one of the grounds below applies to you, you will not be admitted; "
        "if none applies, you may apply to a law-enforcement agency."
    ),
}
ELIGIBILITY_SECTIONS: Final = {
    "bars": {"kk": "Кімдер жіберілмейді:", "ru": "Кого не допускают:", "en": "Who is not admitted:"},
    "apply": {"kk": "Қалай өтініш беріледі:", "ru": "Как подать заявление:", "en": "How to apply:"},
    "check": {
        "kk": "Не тексеріледі және мерзімі:",
        "ru": "Что проверяют и в какой срок:",
        "en": "What is checked, and when:",
    },
    "end": {
        "kk": "Қатысу қашан тоқтатылады:",
        "ru": "Когда участие прекращается:",
        "en": "When participation ends:",
    },
}
FORCE_LEAD: Final = {
    "kk": (
        "Қоғамдық көмекші дене күшін тек құқық бұзушылықтың жолын кесу және құқық бұзушыны ұстап алу үшін, "
        "басқа тәсіл болмаған кезде ғана және қажетті шарадан асырмай қолдана алады; арнаулы құралдарды "
        "пайдалануға тыйым салынады; әйелдерге, мүгедектік белгілері анық адамдарға және кәмелетке "
        "толмағандарға — олар қаруланып не топтасып шабуыл жасаған жағдайды қоспағанда — күш қолданылмайды."
    ),
    "ru": (
        "Общественный помощник может применить физическую силу только чтобы пресечь правонарушение и "
        "задержать правонарушителя, если иначе этого не добиться, и не превышая необходимого; специальные "
        "средства использовать запрещено; к женщинам, лицам с явными признаками инвалидности и "
        "несовершеннолетним силу применять нельзя, кроме случаев вооружённого или группового нападения."
    ),
    "en": (
        "A public assistant may use physical force only to stop an offence and hold the offender, when "
        "there is no other way, and never beyond what is necessary; special equipment is prohibited; force "
        "may not be used against women, people with evident disabilities or minors unless they attack "
        "armed or in a group."
    ),
}
