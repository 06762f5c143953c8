import { LANGS, type Lang, type MovieDetails } from '../domain/model.ts';

/** A film's synopsis for a page in `lang`: its own, else another language's, marked with that language. */
export function synopsisIn(
  lang: Lang,
  movie: Pick<MovieDetails, 'synopsis'>,
): { text: string; lang?: Lang } | undefined {
  const own = movie.synopsis?.[lang];
  if (own) return { text: own };
  for (const other of LANGS) {
    const text = movie.synopsis?.[other];
    if (text) return { text, lang: other };
  }
  return undefined;
}
