// A poster that cannot be loaded is removed, so the placeholder under it shows instead of a broken image.
for (const image of document.querySelectorAll('.poster img')) {
  const drop = () => image.remove();
  if (image.complete && image.naturalWidth === 0) drop();
  else image.addEventListener('error', drop, { once: true });
}
