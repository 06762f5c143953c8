/**
 * How the fake Gemini answers a question about a schedule page's text (the prompt carries the text between
 * `--- page text ---` and `--- end of page text ---`): it reads the text line by line, as a model would —
 * a `[YYYY-MM-DD]` marker sets the day, a `#` heading the film, and each HH:MM on a line is a showing, with the
 * `<url>` right after it as its booking link and the 2D/3D/IMAX/4DX word after it as its format.
 */
export function showingsInPageText(prompt: string): Record<string, string>[] | null {
  const cinema = /^Cinema: (.*)$/m.exec(prompt)?.[1];
  const text = /--- page text ---\n([\s\S]*)\n--- end of page text ---/.exec(prompt)?.[1];
  if (!cinema || text === undefined) return null;
  const showings: Record<string, string>[] = [];
  let day: string | undefined;
  let film: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /\[(\d{4}-\d{2}-\d{2})\]/.exec(line);
    if (marker) day = marker[1];
    const heading = /^#+\s+(.*)$/.exec(line.trim());
    if (heading && !/\d{4}-\d{2}-\d{2}/.test(heading[1] ?? '')) film = heading[1]?.trim();
    const times = [...line.matchAll(/\b([01]\d|2[0-3]):([0-5]\d)\b(?:\s*<([^>\s]+)>)?/g)];
    times.forEach((time, index) => {
      if (!day || !film) return;
      // A time's format is written after it, before the next time.
      const after = line.slice((time.index ?? 0) + time[0].length, times[index + 1]?.index ?? line.length);
      const format = /\b(IMAX 3D|IMAX|4DX|3D|2D)\b/.exec(after)?.[1];
      showings.push({
        film,
        theater: cinema,
        date: day,
        time: `${time[1]}:${time[2]}`,
        ...(format ? { format } : {}),
        ...(time[3] ? { bookingUrl: time[3] } : {}),
      });
    });
  }
  return showings;
}

/** The answer to a page-text question, grouped by film and date as `PAGE_SHOWTIMES_SCHEMA` asks; null for other questions. */
export function pageTextAnswer(
  prompt: string,
): { film: string; date: string; times: Record<string, string>[] }[] | null {
  const showings = showingsInPageText(prompt);
  if (!showings) return null;
  const groups = new Map<string, { film: string; date: string; times: Record<string, string>[] }>();
  for (const { film = '', date = '', theater: _theater, ...time } of showings) {
    const group = groups.get(`${film}|${date}`) ?? { film, date, times: [] };
    group.times.push(time);
    groups.set(`${film}|${date}`, group);
  }
  return [...groups.values()];
}
