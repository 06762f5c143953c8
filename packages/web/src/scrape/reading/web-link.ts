/** A link of a page made whole against the page's URL, when it is an http(s) link; undefined otherwise. */
export function webLink(href: string, pageUrl: string): URL | undefined {
  const url = URL.parse(href, pageUrl);
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url : undefined;
}
