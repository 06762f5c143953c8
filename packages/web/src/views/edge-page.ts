import type { Lang } from '../domain/model.ts';

const TEXT: Record<Lang, Record<414 | 431, { title: string; message: string }> & { back: string }> = {
  uk: {
    414: { title: 'Задовга адреса', message: 'Адреса сторінки задовга. Відкрийте сайт з головної сторінки.' },
    431: {
      title: 'Завеликі заголовки запиту',
      message: 'Браузер надіслав забагато даних (найчастіше cookies). Видаліть cookies цього сайту й спробуйте ще раз.',
    },
    back: 'На головну',
  },
  en: {
    414: { title: 'Address too long', message: 'The page address is too long. Please start again from the home page.' },
    431: {
      title: 'Request headers too large',
      message: 'Your browser sent too much data (most often cookies). Clear this site’s cookies and try again.',
    },
    back: 'To the home page',
  },
  ru: {
    414: {
      title: 'Слишком длинный адрес',
      message: 'Адрес страницы слишком длинный. Откройте сайт с главной страницы.',
    },
    431: {
      title: 'Слишком большие заголовки запроса',
      message:
        'Браузер отправил слишком много данных (чаще всего cookies). Удалите cookies этого сайта и попробуйте снова.',
    },
    back: 'На главную',
  },
};

/**
 * The short page for a request too large to read (414, 431): complete in itself, with no stylesheet or
 * cookie, since the request that gets it may be the one the server could not take in.
 */
export function edgePage(lang: Lang, status: 414 | 431, homeUrl: string): string {
  const { title, message } = TEXT[lang][status];
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title} · CineStream</title></head>
<body><main><h1>${title}</h1><p>${message}</p><p><a href="${homeUrl}">${TEXT[lang].back}</a></p></main></body>
</html>
`;
}
